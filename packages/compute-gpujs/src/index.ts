export { GpujsBackend, GPUJS_PRIORITY, GPUJS_MAX_INDEX } from './backend.js';
export type { GpujsDevice, GpuKernelSource } from './backend.js';
export { registerGpujsBackend } from './register.js';
export { registerGpujsKernels, assertGpujsIndexable, crossProdGpujs, segmentSumGpujs, gatherGpujs, multiplierBootstrapGpujs } from './kernels.js';
export { hasWebGpu, ensureWebGpu, webGpuRequired } from '@panel-lab/compute';
