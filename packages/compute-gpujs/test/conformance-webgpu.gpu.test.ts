import { ComputeConfig, KernelRegistry } from '@panel-lab/compute';
import { describeKernelConformance, webGpuGate } from '@panel-lab/compute-conformance';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { GpujsBackend, registerGpujsBackend } from '../src/index.js';

// Skipped with a stated reason where no WebGPU adapter exists; under REQUIRE_WEBGPU=1 (CI with
// lavapipe) it runs anyway and fails on a missing adapter.
const gate = await webGpuGate();
describeKernelConformance({
  title: 'gpujs:webgpu',
  makeRegistry: () => registerGpujsBackend(registerCpuBackend(new KernelRegistry())),
  config: new ComputeConfig({ backend: 'gpujs', device: 'webgpu', allowFallback: false }),
  expectDevice: 'webgpu',
  assertRanOnDevice: (ctx) => {
    if ((ctx.backend as GpujsBackend).lastMode !== 'webgpu') throw new Error(`kernel ran in ${(ctx.backend as GpujsBackend).lastMode}`);
  },
  ...(gate.skipReason ? { skipReason: gate.skipReason } : {}),
});
