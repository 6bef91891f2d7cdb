export { describeKernelConformance } from './suite.js';
export type { ConformanceOptions } from './suite.js';
export { accumulationCases, conformanceCases, loadMpdta } from './cases.js';
export type { KernelCase } from './cases.js';
export { twfeMpdtaViaKernels } from './twfe.js';
export { webGpuGate } from './webgpu-gate.js';
export type { WebGpuGate } from './webgpu-gate.js';
