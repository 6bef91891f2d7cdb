export { initTfjs } from './init-tfjs.js';
export type { TfjsDevice, TfjsHandle, TfjsInitOptions } from './init-tfjs.js';
export { TfjsBackend, TFJS_PRIORITY } from './backend.js';
export { registerTfjsBackend } from './register.js';
export {
  registerTfjsKernels,
  crossProdTfjs,
  segmentSumTfjs,
  gatherTfjs,
  gatherSumTfjs,
  multiplierBootstrapTfjs,
  demeanTfjs,
  F32_DEMEAN_TOL_FLOOR,
} from './kernels.js';
export { hasWebGpu, ensureWebGpu, webGpuRequired } from '@panel-lab/compute';
