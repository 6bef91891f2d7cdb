import { ComputeConfig, KernelRegistry } from '@panel-lab/compute';
import { describeKernelConformance, webGpuGate } from '@panel-lab/compute-conformance';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { registerTfjsBackend } from '../src/index.js';

// Skipped with a stated reason where no WebGPU adapter exists; under REQUIRE_WEBGPU=1 (CI with
// lavapipe) it runs anyway and fails on a missing adapter, because the device must be 'webgpu'.
const gate = await webGpuGate();
describeKernelConformance({
  title: 'tfjs:webgpu',
  makeRegistry: () => registerTfjsBackend(registerCpuBackend(new KernelRegistry())),
  config: new ComputeConfig({ backend: 'tfjs', device: 'webgpu', allowFallback: false }),
  expectDevice: 'webgpu',
  ...(gate.skipReason ? { skipReason: gate.skipReason } : {}),
});
