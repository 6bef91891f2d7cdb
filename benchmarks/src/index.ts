export { machineFacts, measure } from './harness.js';
export type { BenchCase, BenchSuite, CaseResult, MachineFacts, Scale } from './harness.js';
export { checkReport, suiteMarkdown } from './report.js';
export type { RatioCheck, SuiteReport } from './report.js';
