export { GpujsBackend, GPUJS_PRIORITY, GPUJS_MAX_INDEX, assertGpujsIndexable } from './backend.js';
export { demeanGpujs, GPUJS_DEMEAN_TOL_FLOOR } from './demean.js';
export type { CompiledKernel, GpujsDevice, GpuKernelSource } from './backend.js';
export { registerGpujsBackend } from './register.js';
export { registerGpujsKernels, crossProdGpujs, segmentSumGpujs, gatherGpujs, gatherSumGpujs, multiplierBootstrapGpujs } from './kernels.js';
export { hasWebGpu, ensureWebGpu, webGpuRequired } from '@panel-lab/compute';
