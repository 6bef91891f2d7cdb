import type { z } from 'zod';
import type { PanelFrame } from '@panel-lab/panel';
import type { Block } from '@panel-lab/report';
import type { ModelSummary } from './results/models.js';
import type { DataTable } from './results/tables.js';

/** A progress update from a running analysis (fraction of this analysis, 0..1). */
export interface ProgressUpdate {
  step: string;
  fraction: number;
  done?: number;
  total?: number;
}

export interface AnalysisContext {
  readonly frame: PanelFrame;
  /** The data is a cross-section (no time column): the frame's time column is a constant added period. */
  readonly crossSection: boolean;
  /** Ground truth of a synthetic dataset (undefined for real data). */
  readonly truth: unknown;
  /** This analysis's own seed, derived from the run seed and the analysis id. */
  readonly seed: number;
  readonly backend: { name: string; device?: string | undefined; allowFallback: boolean };
  progress(update: ProgressUpdate): void;
  readonly signal?: AbortSignal | undefined;
}

export interface AnalysisOutput {
  title: string;
  intro?: string;
  /** Report blocks (tables, figures with captions saying what they replicate, text, truth comparisons). */
  blocks: Block[];
  /** JSON-safe result objects of the estimators that ran, keyed by a short name. */
  results: Record<string, unknown>;
  /** The fitted models as regression-table columns (coefficients with vcov, SE type, FE, fit statistics): etable and the coefficient tables. */
  models?: ModelSummary[];
  /** Columnar tables (per-draw results, matched pairs and scores, index values), also written as Parquet / Arrow on request. */
  tables?: Record<string, DataTable>;
}

/** What every analysis option object carries. */
export interface AnalysisOptionsBase {
  id: string;
  estimator: string;
  title?: string | undefined;
  /** The spec's text under the section title (used when the handler gives no intro of its own). */
  intro?: string | undefined;
}

export interface AnalysisHandler<O extends AnalysisOptionsBase = AnalysisOptionsBase> {
  readonly estimator: O['estimator'];
  readonly description: string;
  readonly options: z.ZodObject & z.ZodType<O>;
  /** false: runs on a cross-section (data without a time column). Default true: needs `dataset.time`. */
  readonly needsTime?: boolean;
  run(ctx: AnalysisContext, options: O): Promise<AnalysisOutput>;
}

export function defineHandler<O extends AnalysisOptionsBase>(handler: AnalysisHandler<O>): AnalysisHandler<O> {
  return Object.freeze(handler);
}
