export { CpuBackend, CPU_PRIORITY, registerCpuBackend } from './backend.js';
export { demeanImpl } from './demean.js';
export { crossProdImpl, gatherImpl, gatherSumImpl, segmentSumImpl } from './linalg.js';
export { clusterSums, multiplierBootstrapImpl } from './multiplier-bootstrap.js';
