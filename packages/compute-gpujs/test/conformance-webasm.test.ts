import { ComputeConfig, KernelRegistry } from '@panel-lab/compute';
import { describeKernelConformance } from '@panel-lab/compute-conformance';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { GpujsBackend, registerGpujsBackend } from '../src/index.js';

describeKernelConformance({
  title: 'gpujs:webasm',
  makeRegistry: () => registerGpujsBackend(registerCpuBackend(new KernelRegistry())),
  config: new ComputeConfig({ backend: 'gpujs', device: 'webasm', allowFallback: false }),
  expectDevice: 'webasm',
  assertRanOnDevice: (ctx) => {
    if ((ctx.backend as GpujsBackend).lastMode !== 'webasm') throw new Error(`kernel ran in ${(ctx.backend as GpujsBackend).lastMode}`);
  },
});
