/**
 * Shared pieces of the robustness estimators: one coefficient row shape, critical values,
 * cluster codes and the meta block every result carries.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { pnormTwoSided, ptTwoSided, qnorm, qt } from '../internal/stats.js';

export const ROBUSTNESS_VERSION = '0.1.0';

/** One estimated quantity (a coefficient, an event-time effect, a placebo, a ring spillover). */
export interface RobustCoef {
  readonly term: string;
  /** Relative period for event-study rows (placebos negative); null otherwise. */
  readonly eventTime: number | null;
  /** Cohort or stack for cohort-specific rows; null otherwise. */
  readonly group: number | null;
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
  /** Observations (or cells) behind the estimate, where the method reports it. */
  readonly n: number | null;
  /** Degrees of freedom of the t reference distribution; null = normal. */
  readonly df: number | null;
}

/** Critical value: t(df) when df is finite, normal otherwise. */
export function critical(alpha: number, df: number): number {
  return Number.isFinite(df) ? qt(1 - alpha / 2, df) : qnorm(1 - alpha / 2);
}

export function pValue(stat: number, df: number): number {
  if (!Number.isFinite(stat)) return Number.NaN;
  return Number.isFinite(df) ? ptTwoSided(stat, df) : pnormTwoSided(stat);
}

export function robustCoef(
  term: string,
  estimate: number,
  se: number,
  opts: {
    alpha: number;
    df?: number;
    eventTime?: number | null;
    group?: number | null;
    n?: number | null;
    /** Interval multiplier when a package fixes it (didimputation's 1.96); default the t(df) or normal quantile. */
    crit?: number;
  },
): RobustCoef {
  const df = opts.df ?? Number.POSITIVE_INFINITY;
  const q = opts.crit ?? critical(opts.alpha, df);
  const stat = estimate / se;
  return Object.freeze({
    term,
    eventTime: opts.eventTime ?? null,
    group: opts.group ?? null,
    estimate,
    se,
    statistic: stat,
    pValue: pValue(stat, df),
    confLow: estimate - q * se,
    confHigh: estimate + q * se,
    n: opts.n ?? null,
    df: Number.isFinite(df) ? df : null,
  });
}

export function checkAlpha(alpha: number | undefined): number {
  const a = alpha ?? 0.05;
  if (!(a > 0 && a < 1)) throw new Error(`option alpha must be in (0, 1), got ${a}`);
  return a;
}

/** Dense cluster codes of a column (numeric or categorical); missing values are an error naming the row. */
export function clusterCodes(frame: PanelFrame, column: string): { codes: Int32Array; n: number } {
  if (!frame.has(column)) throw new Error(`cluster column '${column}' not found; columns are: ${frame.columnNames.join(', ')}`);
  const { codes, levels } = frame.codes(column);
  for (let r = 0; r < codes.length; r++) if (codes[r]! < 0) throw new Error(`cluster column '${column}' is missing at row ${r}`);
  return { codes, n: levels.length };
}

/** A numeric column that must exist; names the option that asked for it. */
export function numericColumn(frame: PanelFrame, name: string, option: string): Float64Array {
  if (!frame.has(name)) throw new Error(`${option}: column '${name}' not found; columns are: ${frame.columnNames.join(', ')}`);
  return frame.numeric(name);
}

export interface RobustMeta {
  readonly backend: 'cpu';
  readonly precision: 64;
  readonly seed: number | null;
  readonly versions: Readonly<Record<string, string>>;
  readonly timings: Readonly<Record<string, number>>;
}

export function robustMeta(startedAt: number, seed: number | null = null): RobustMeta {
  return Object.freeze({
    backend: 'cpu' as const,
    precision: 64 as const,
    seed,
    versions: Object.freeze({ '@panel-lab/did/robustness': ROBUSTNESS_VERSION, node: process.version }),
    timings: Object.freeze({ total_ms: performance.now() - startedAt }),
  });
}

export function freezeAll<T>(rows: T[]): readonly T[] {
  return Object.freeze(rows.map((r) => (typeof r === 'object' && r !== null ? Object.freeze(r) : r)));
}
