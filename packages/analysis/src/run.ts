import type { PanelFrame } from '@panel-lab/panel';
import type { AnalysisOutput, ProgressUpdate } from './handler.js';
import { handlerFor } from './handlers/index.js';
import { loadDataset, type DatasetResolver } from './dataset.js';
import { applyTransforms, type TransformReport } from './transforms.js';
import { parseRunSpec, type RunSpec } from './spec.js';
import { checkAnalysisColumns } from './column-check.js';
import { AnalysisFailedError, describeFailure, type AnalysisFailure } from './failure.js';

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
}

export interface AnalysisRecord extends AnalysisOutput {
  id: string;
  estimator: string;
  seconds: number;
  /** 'failed': no results; `failure` says where and why. */
  status: 'ok' | 'failed';
  failure?: AnalysisFailure;
}

export interface RunResult {
  spec: RunSpec;
  dataset: { description: string; nobs: number; units: number; periods: number; transforms: TransformReport[] };
  truth: unknown;
  analyses: AnalysisRecord[];
  /** The analyses that failed (empty when all ran), in spec order. */
  failures: AnalysisFailure[];
  timings: { step: string; seconds: number }[];
  meta: { startedAt: string; finishedAt: string; node: string; seconds: number };
}

/** Derives an analysis's seed from the run seed and its id (stable when analyses are reordered). */
export function analysisSeed(runSeed: number, id: string): number {
  let h = 0x811c9dc5 ^ runSeed;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 1;
}

export class RunCancelledError extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'RunCancelledError';
  }
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
  const analyses: AnalysisRecord[] = [];
  for (const [index, entry] of spec.analyses.entries()) {
    checkCancelled();
    t0 = performance.now();
    emit(entry.id, index + 1, { step: `${entry.estimator}: start`, fraction: 0 });
    let record: AnalysisRecord;
    try {
      checkAnalysisColumns(frame, entry);
      const output = await handlerFor(entry.estimator).run(
        {
          frame,
          truth: loaded.truth,
          seed: analysisSeed(spec.seed, entry.id),
          backend,
          signal: options.signal,
          progress: (update) => {
            checkCancelled();
            emit(entry.id, index + 1, update);
          },
        },
        entry,
      );
      record = { ...output, id: entry.id, estimator: entry.estimator, seconds: (performance.now() - t0) / 1000, status: 'ok' };
    } catch (error) {
      if (error instanceof RunCancelledError || options.signal?.aborted) throw error;
      const failure = describeFailure(error, entry, index);
      if (options.failFast) throw new AnalysisFailedError(failure, error);
      record = failedRecord(entry, failure, (performance.now() - t0) / 1000);
    }
    timings.push({ step: entry.id, seconds: record.seconds });
    analyses.push(record);
    emit(entry.id, index + 1, { step: `${entry.estimator}: ${record.status === 'ok' ? 'done' : 'failed'}`, fraction: 1 });
  }
  return {
    spec,
    dataset: describeLoaded(loaded.description, frame, reports),
    truth: loaded.truth,
    analyses,
    failures: analyses.flatMap((a) => (a.failure ? [a.failure] : [])),
    timings,
    meta: { startedAt, finishedAt: new Date().toISOString(), node: process.version, seconds: (performance.now() - started) / 1000 },
  };
}

/** A failed analysis keeps its place: no blocks (the report shows the failure), results say why. */
function failedRecord(entry: RunSpec['analyses'][number], failure: AnalysisFailure, seconds: number): AnalysisRecord {
  return { title: entry.title ?? `${entry.id} (${entry.estimator})`, blocks: [], results: { status: 'failed', failure }, id: entry.id, estimator: entry.estimator, seconds, status: 'failed', failure };
}

function describeLoaded(description: string, frame: PanelFrame, transforms: TransformReport[]): RunResult['dataset'] {
  return {
    description,
    nobs: frame.nrows,
    units: frame.codes(frame.schema.unit).levels.length,
    periods: frame.codes(frame.schema.time).levels.length,
    transforms,
  };
}
