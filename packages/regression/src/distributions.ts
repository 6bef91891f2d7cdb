/** Reference distributions, from @stdlib (no hand-written special functions). */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import chisqCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import fCdf from '@stdlib/stats-base-dists-f-cdf';

/** Two-sided p-value of a t statistic (normal when df is Infinity). */
export function twoSidedP(stat: number, df: number): number {
  if (!Number.isFinite(stat)) return Number.isNaN(stat) ? Number.NaN : 0;
  const tail = Number.isFinite(df) ? tCdf(-Math.abs(stat), df) : normalCdf(-Math.abs(stat), 0, 1);
  return 2 * tail;
}

/** Critical value q with P(|T| <= q) = 1 - alpha. */
export function criticalValue(alpha: number, df: number): number {
  return Number.isFinite(df) ? tQuantile(1 - alpha / 2, df) : normalQuantile(1 - alpha / 2, 0, 1);
}

export function chisqUpperP(stat: number, df: number): number {
  return 1 - chisqCdf(stat, df);
}

export function fUpperP(stat: number, df1: number, df2: number): number {
  return 1 - fCdf(stat, df1, df2);
}
