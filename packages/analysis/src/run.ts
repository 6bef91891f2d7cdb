import type { PanelFrame } from '@panel-lab/panel';
import type { AnalysisOutput, ProgressUpdate } from './handler.js';
import { handlerFor } from './handlers/index.js';
import { loadDataset, type DatasetResolver } from './dataset.js';
import { applyTransforms, type TransformReport } from './transforms.js';
import { parseRunSpec, type RunSpec } from './spec.js';

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
}

export interface AnalysisRecord extends AnalysisOutput {
  id: string;
  estimator: string;
  seconds: number;
}

export interface RunResult {
  spec: RunSpec;
  dataset: { description: string; nobs: number; units: number; periods: number; transforms: TransformReport[] };
  truth: unknown;
  analyses: AnalysisRecord[];
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
  const loaded = await loadDataset(spec.dataset, options.resolveDataset);
  const { frame, reports } = applyTransforms(loaded.frame, spec.transforms);
  timings.push({ step: 'dataset', seconds: (performance.now() - t0) / 1000 });
  emit('dataset', 0, { step: 'dataset ready', fraction: 1 });

  const backend = options.backend ?? spec.backend;
  const analyses: AnalysisRecord[] = [];
  for (const [index, entry] of spec.analyses.entries()) {
    checkCancelled();
    const handler = handlerFor(entry.estimator);
    t0 = performance.now();
    emit(entry.id, index + 1, { step: `${entry.estimator}: start`, fraction: 0 });
    const output = await handler.run(
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
    const seconds = (performance.now() - t0) / 1000;
    timings.push({ step: entry.id, seconds });
    analyses.push({ ...output, id: entry.id, estimator: entry.estimator, seconds });
    emit(entry.id, index + 1, { step: `${entry.estimator}: done`, fraction: 1 });
  }
  return {
    spec,
    dataset: describeLoaded(loaded.description, frame, reports),
    truth: loaded.truth,
    analyses,
    timings,
    meta: { startedAt, finishedAt: new Date().toISOString(), node: process.version, seconds: (performance.now() - started) / 1000 },
  };
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
