import { ComputeConfig, KernelRegistry } from '@panel-lab/compute';
import { describeKernelConformance } from '@panel-lab/compute-conformance';
import { registerCpuBackend } from '../src/index.js';

// The cpu backend against itself checks the suite's plumbing and the R fixest golden (mpdta TWFE).
describeKernelConformance({
  title: 'cpu',
  makeRegistry: () => registerCpuBackend(new KernelRegistry()),
  config: new ComputeConfig({ backend: 'cpu' }),
  expectDevice: 'cpu',
});
