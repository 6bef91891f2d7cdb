/**
 * Running one analysis of a run, shared by the in-process loop (run.ts) and the worker threads
 * (run-worker.ts): the column check, the handler, and the failure record when it throws.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { checkAnalysisColumns } from './column-check.js';
import { AnalysisInputError, describeFailure, type AnalysisFailure } from './failure.js';
import type { AnalysisOutput, ProgressUpdate } from './handler.js';
import { ANALYSIS_HANDLERS, handlerFor } from './handlers/index.js';
import type { RunSpec } from './spec.js';

export interface AnalysisRecord extends AnalysisOutput {
  id: string;
  estimator: string;
  seconds: number;
  /** 'failed': no results; `failure` says where and why. */
  status: 'ok' | 'failed';
  failure?: AnalysisFailure;
}

export class RunCancelledError extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'RunCancelledError';
  }
}

/** Derives an analysis's seed from the run seed and its id (stable when analyses are reordered). */
export function analysisSeed(runSeed: number, id: string): number {
  let h = 0x811c9dc5 ^ runSeed;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 1;
}

export interface PreparedData {
  readonly frame: PanelFrame;
  readonly truth: unknown;
}

export interface ExecuteOptions {
  readonly spec: RunSpec;
  readonly backend: RunSpec['backend'];
  readonly signal?: AbortSignal | undefined;
  readonly progress: (update: ProgressUpdate) => void;
}

/** Runs analysis `index`; a throw becomes a failed record (the caller decides about failFast). */
export async function executeAnalysis(data: PreparedData, index: number, o: ExecuteOptions): Promise<{ record: AnalysisRecord; error?: unknown }> {
  const entry = o.spec.analyses[index]!;
  const t0 = performance.now();
  try {
    const handler = handlerFor(entry.estimator);
    const crossSection = isCrossSection(o.spec);
    if (crossSection && handler.needsTime !== false) {
      throw new AnalysisInputError(
        `estimator '${entry.estimator}' needs a time dimension, but the dataset is a cross-section (no dataset.time): set dataset.time to the period column, or use an analysis without one (${ANALYSIS_HANDLERS.filter((h) => h.needsTime === false).map((h) => h.estimator).join(', ')})`,
      );
    }
    checkAnalysisColumns(data.frame, entry);
    const output = await handler.run(
      { frame: data.frame, crossSection, truth: data.truth, seed: analysisSeed(o.spec.seed, entry.id), backend: o.backend, signal: o.signal, progress: o.progress },
      entry,
    );
    return { record: { ...output, ...(output.intro === undefined && entry.intro !== undefined ? { intro: entry.intro } : {}), id: entry.id, estimator: entry.estimator, seconds: (performance.now() - t0) / 1000, status: 'ok' } };
  } catch (error) {
    if (error instanceof RunCancelledError || o.signal?.aborted) throw error;
    return { record: failedRecord(entry, describeFailure(error, entry, index), (performance.now() - t0) / 1000), error };
  }
}

/** A failed analysis keeps its place: no blocks (the report shows the failure), results say why. */
export function failedRecord(entry: RunSpec['analyses'][number], failure: AnalysisFailure, seconds: number): AnalysisRecord {
  return { title: entry.title ?? `${entry.id} (${entry.estimator})`, blocks: [], results: { status: 'failed', failure }, id: entry.id, estimator: entry.estimator, seconds, status: 'failed', failure };
}

/** A file dataset without a time column: a cross-section. */
export function isCrossSection(spec: RunSpec): boolean {
  return spec.dataset.source === 'file' && spec.dataset.time === undefined;
}
