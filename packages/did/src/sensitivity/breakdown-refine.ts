/**
 * Breakdown value finer than the grid: bisection on M (or Mbar) between the last grid value whose
 * CI excludes 0 and the first that contains it. Assumes the robust CI widens with M (the
 * restriction sets are nested), as the grid values themselves do in practice.
 */
import type { SensitivityCi } from './types.js';
import { containsZero } from './breakdown.js';

export interface RefinedBreakdown {
  /** Smallest M found whose CI contains 0, to within `tolerance` (null when the bracket is not given). */
  readonly value: number | null;
  readonly bracket: readonly [number, number] | null;
  readonly evaluations: number;
}

export async function refineBreakdown(
  ciAt: (parameter: number) => Promise<SensitivityCi>,
  lastExcludes: number | null,
  firstContains: number | null,
  tolerance: number,
): Promise<RefinedBreakdown> {
  if (!(tolerance > 0)) throw new Error(`sensitivity: breakdown tolerance must be > 0, got ${tolerance}`);
  if (firstContains === null) return { value: null, bracket: null, evaluations: 0 };
  if (lastExcludes === null) return { value: firstContains, bracket: [firstContains, firstContains], evaluations: 0 };
  let lo = lastExcludes;
  let hi = firstContains;
  let evaluations = 0;
  while (hi - lo > tolerance) {
    const mid = (lo + hi) / 2;
    evaluations++;
    if (containsZero(await ciAt(mid))) hi = mid;
    else lo = mid;
  }
  return { value: hi, bracket: [lo, hi], evaluations };
}
