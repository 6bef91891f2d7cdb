export { machineFacts, measure } from './harness.js';
export type { BenchCase, BenchSuite, CaseResult, MachineFacts, Scale } from './harness.js';
export { checkReport, suiteMarkdown } from './report.js';
export type { RatioCheck, SuiteReport } from './report.js';
export { estimateMatch, parseRPeerOutput, rPeerFacts, rPeerUnavailable, runRPeer, writePeerCsv, R_SKIPPED_NOTE } from './r-peer.js';
export type { RPeerResult } from './r-peer.js';
export type { RPeerSpec } from './harness.js';
