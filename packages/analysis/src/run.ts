import { shareFrame, type PanelFrame } from '@panel-lab/panel';
import type { ProgressUpdate } from './handler.js';
import { loadDataset, type DatasetResolver } from './dataset.js';
import { applyTransforms, type TransformReport } from './transforms.js';
import { parseRunSpec, type RunSpec } from './spec.js';
import { AnalysisFailedError, type AnalysisFailure } from './failure.js';
import { executeAnalysis, isCrossSection, RunCancelledError, type AnalysisRecord } from './execute.js';
import { costWeight, runInWorkers } from './worker-pool.js';

export { analysisSeed, RunCancelledError } from './execute.js';
export type { AnalysisRecord } from './execute.js';

export interface RunProgress extends ProgressUpdate {
  /** Analysis id the update belongs to ('dataset' while loading). */
  analysis: string;
  /** Fraction of the whole run, 0..1. */
  overall: number;
}

export interface RunOptions {
  onProgress?: (update: RunProgress) => void;
  signal?: AbortSignal;
  /** Resolves `{ source: 'dataset', id }` (the API's registered datasets). */
  resolveDataset?: DatasetResolver;
  /** Override of the spec's backend (e.g. from a CLI flag). */
  backend?: RunSpec['backend'];
  /** Folder a relative `dataset.path` resolves against (the CLI passes the spec file's folder); default the working directory. */
  baseDir?: string;
  /**
   * Stop at the first failing analysis, throwing an AnalysisFailedError that names it. Default false:
   * a failing analysis is recorded (status 'failed', in `failures` and the report) and the others still run.
   */
  failFast?: boolean;
  /**
   * Worker threads to run analyses on at once (default 1: in this thread). The dataset is loaded
   * once, here, and the workers read it from shared memory. failFast keeps the run in this thread.
   * Results do not depend on it.
   */
  workers?: number;
}

export interface RunResult {
  spec: RunSpec;
  dataset: { description: string; nobs: number; units: number; periods: number; crossSection: boolean; transforms: TransformReport[] };
  truth: unknown;
  analyses: AnalysisRecord[];
  /** The analyses that failed (empty when all ran), in spec order. */
  failures: AnalysisFailure[];
  timings: { step: string; seconds: number }[];
  meta: { startedAt: string; finishedAt: string; node: string; seconds: number };
}

/** Validates and executes a run spec: load data, transform, run each analysis in order. */
export async function runSpec(input: unknown, options: RunOptions = {}): Promise<RunResult> {
  const spec = parseRunSpec(input);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const timings: RunResult['timings'] = [];
  const total = spec.analyses.length + 1;
  const emit = (analysis: string, index: number, update: ProgressUpdate) =>
    options.onProgress?.({ ...update, analysis, overall: Math.min(1, (index + Math.max(0, Math.min(1, update.fraction))) / total) });
  const checkCancelled = () => {
    if (options.signal?.aborted) throw new RunCancelledError();
  };

  emit('dataset', 0, { step: 'loading dataset', fraction: 0 });
  let t0 = performance.now();
  const loaded = await loadDataset(spec.dataset, { resolve: options.resolveDataset, baseDir: options.baseDir });
  const { frame, reports } = applyTransforms(loaded.frame, spec.transforms);
  timings.push({ step: 'dataset', seconds: (performance.now() - t0) / 1000 });
  emit('dataset', 0, { step: 'dataset ready', fraction: 1 });

  const backend = options.backend ?? spec.backend;
  const data = { frame, truth: loaded.truth };
  const workers = Math.floor(options.workers ?? 1);
  const analyses: AnalysisRecord[] =
    workers > 1 && spec.analyses.length > 1 && !options.failFast
      ? await runParallel(spec, input, data, options, workers)
      : await runInThread(spec, data, backend, options, emit, checkCancelled);
  for (const r of analyses) timings.push({ step: r.id, seconds: r.seconds });
  return {
    spec,
    dataset: describeLoaded(loaded.description, frame, reports, isCrossSection(spec)),
    truth: loaded.truth,
    analyses,
    failures: analyses.flatMap((a) => (a.failure ? [a.failure] : [])),
    timings,
    meta: { startedAt, finishedAt: new Date().toISOString(), node: process.version, seconds: (performance.now() - started) / 1000 },
  };
}

/** The analyses one after another in this thread (failFast stops at the first failure). */
async function runInThread(
  spec: RunSpec,
  data: { frame: PanelFrame; truth: unknown },
  backend: RunSpec['backend'],
  options: RunOptions,
  emit: (analysis: string, index: number, update: ProgressUpdate) => void,
  checkCancelled: () => void,
): Promise<AnalysisRecord[]> {
  const analyses: AnalysisRecord[] = [];
  for (const [index, entry] of spec.analyses.entries()) {
    checkCancelled();
    emit(entry.id, index + 1, { step: `${entry.estimator}: start`, fraction: 0 });
    const progress = (update: ProgressUpdate) => {
      checkCancelled();
      emit(entry.id, index + 1, update);
    };
    const { record, error } = await executeAnalysis(data, index, { spec, backend, signal: options.signal, progress });
    if (record.failure && options.failFast) throw new AnalysisFailedError(record.failure, error);
    analyses.push(record);
    emit(entry.id, index + 1, { step: `${entry.estimator}: ${record.status === 'ok' ? 'done' : 'failed'}`, fraction: 1 });
  }
  return analyses;
}

/**
 * The analyses on worker threads. Overall progress weighs each analysis's fraction by its expected
 * cost (the heavy estimators run first, so counting analyses alike would lag far behind the time).
 */
async function runParallel(
  spec: RunSpec,
  input: unknown,
  data: { frame: PanelFrame; truth: unknown },
  options: RunOptions,
  workers: number,
): Promise<AnalysisRecord[]> {
  const fractions = new Float64Array(spec.analyses.length);
  const weights = spec.analyses.map((a) => costWeight(a.estimator));
  const total = 1 + weights.reduce((a, b) => a + b, 0); // 1: the dataset, already loaded
  const report = (index: number, update: ProgressUpdate) => {
    fractions[index] = Math.max(0, Math.min(1, update.fraction));
    const overall = (1 + fractions.reduce((a, f, i) => a + weights[i]! * f, 0)) / total;
    options.onProgress?.({ ...update, analysis: spec.analyses[index]!.id, overall: Math.min(1, overall) });
  };
  return runInWorkers({
    spec,
    input: { spec: input, backend: options.backend, frame: shareFrame(data.frame), truth: data.truth },
    workers,
    signal: options.signal,
    onStart: (i) => report(i, { step: `${spec.analyses[i]!.estimator}: start`, fraction: 0 }),
    onProgress: report,
    onDone: (i, r) => report(i, { step: `${r.estimator}: ${r.status === 'ok' ? 'done' : 'failed'}`, fraction: 1 }),
  });
}

function describeLoaded(description: string, frame: PanelFrame, transforms: TransformReport[], crossSection: boolean): RunResult['dataset'] {
  return {
    description,
    nobs: frame.nrows,
    units: frame.codes(frame.schema.unit).levels.length,
    periods: frame.codes(frame.schema.time).levels.length,
    crossSection,
    transforms,
  };
}
