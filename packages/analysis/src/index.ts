export { AnalysisSpec, BackendSpec, DatasetSpec, RunSpec, SpecError, TransformSpec, parseRunSpec, runSpecJsonSchema } from './spec.js';
export type { RunSpecInput } from './spec.js';
export { RunCancelledError, analysisSeed, runSpec } from './run.js';
export type { AnalysisRecord, RunOptions, RunProgress, RunResult } from './run.js';
export { ANALYSIS_HANDLERS, handlerFor } from './handlers/index.js';
export type { AnalysisContext, AnalysisHandler, AnalysisOutput, ProgressUpdate } from './handler.js';
export { renderRunReport, writeRunReport } from './render.js';
export { replicationSpec } from './replication.js';
export type { ReplicationOptions, SeedId } from './replication.js';
