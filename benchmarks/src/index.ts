export { machineFacts, measure } from './harness.js';
export type { BenchCase, BenchSuite, CaseResult, MachineFacts, Scale } from './harness.js';
