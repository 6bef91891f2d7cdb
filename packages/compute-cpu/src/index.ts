export { CpuBackend, CPU_PRIORITY, registerCpuBackend } from './backend.js';
export { demeanImpl } from './demean.js';
export { crossProdImpl, gatherImpl, gatherSumImpl, segmentSumImpl } from './linalg.js';
export { clusterSums, multiplierBootstrapImpl, multiplierBootstrapThreaded, MULTIPLIER_THREAD_MIN_WORK } from './multiplier-bootstrap.js';
export type { MultiplierKernelChoice } from './multiplier-bootstrap.js';
