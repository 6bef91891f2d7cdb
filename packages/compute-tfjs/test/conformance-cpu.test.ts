import { ComputeConfig, KernelRegistry } from '@panel-lab/compute';
import { describeKernelConformance } from '@panel-lab/compute-conformance';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { registerTfjsBackend } from '../src/index.js';

// One tfjs device per test file: the tfjs engine is a process-wide singleton (vitest forks per file).
describeKernelConformance({
  title: 'tfjs:cpu',
  makeRegistry: () => registerTfjsBackend(registerCpuBackend(new KernelRegistry())),
  config: new ComputeConfig({ backend: 'tfjs', device: 'cpu', allowFallback: false }),
  expectDevice: 'cpu',
});
