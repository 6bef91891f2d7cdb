import type { AnalysisRecord, RunResult } from '../run.js';
import { RESULTS_SCHEMA_VERSION, type AnalysisResultFile, type RunResultFile } from './schema.js';

/** results/<id>.json of one analysis: the versioned envelope around the estimator's own results. */
export function analysisResultFile(run: RunResult, record: AnalysisRecord): AnalysisResultFile {
  const entry = run.spec.analyses.find((a) => a.id === record.id);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    kind: 'analysis',
    id: record.id,
    estimator: record.estimator,
    title: record.title,
    status: record.status,
    seconds: record.seconds,
    options: { ...(entry ?? {}) },
    ...(record.failure ? { failure: record.failure } : {}),
    models: record.models ?? [],
    tables: record.tables ?? {},
    results: record.status === 'ok' ? record.results : {},
  };
}

/** results/run.json: the spec, dataset, analyses with their files, failures and timings. */
export function runResultFile(run: RunResult): RunResultFile {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    kind: 'run',
    spec: run.spec as unknown as Record<string, unknown>,
    dataset: run.dataset,
    analyses: run.analyses.map((a) => ({ id: a.id, estimator: a.estimator, status: a.status, file: `results/${a.id}.json` })),
    failures: run.failures,
    timings: run.timings,
    meta: run.meta,
  };
}
