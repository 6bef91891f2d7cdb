/** Breakdown values read off a sensitivity grid: where the robust CI first includes 0. */
import type { SensitivityCi } from './types.js';

export interface GridBreakdown {
  /** Smallest grid value of M / Mbar whose CI contains 0 (null: none does). */
  readonly firstContainsZero: number | null;
  /** The grid value just before it (null when the first grid value already contains 0); the breakdown value lies in (last, first]. */
  readonly lastExcludesZero: number | null;
}

export const containsZero = (ci: SensitivityCi): boolean => ci.lb !== null && ci.ub !== null && ci.lb <= 0 && ci.ub >= 0;

/** Assumes rows ordered by their parameter, as the sensitivity functions return them. */
export function breakdownOnGrid(rows: readonly SensitivityCi[]): GridBreakdown {
  const i = rows.findIndex(containsZero);
  if (i < 0) return { firstContainsZero: null, lastExcludesZero: rows.length ? rows[rows.length - 1]!.parameter : null };
  return { firstContainsZero: rows[i]!.parameter, lastExcludesZero: i > 0 ? rows[i - 1]!.parameter : null };
}
