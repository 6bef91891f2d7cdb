/**
 * Reference distributions, from @stdlib (no hand-written special functions). Every p-value is an upper
 * tail computed as such (never 1 - cdf, which underflows to 0 once the cdf rounds to 1, e.g. |z| > 8.3).
 */
import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** Two-sided p-value of a t statistic (normal when df is Infinity): 2 P(T <= -|t|). */
export function twoSidedP(stat: number, df: number): number {
  if (!Number.isFinite(stat)) return Number.isNaN(stat) ? Number.NaN : 0;
  const tail = Number.isFinite(df) ? tCdf(-Math.abs(stat), df) : normalCdf(-Math.abs(stat), 0, 1);
  return 2 * tail;
}

/** Critical value q with P(|T| <= q) = 1 - alpha. */
export function criticalValue(alpha: number, df: number): number {
  return Number.isFinite(df) ? tQuantile(1 - alpha / 2, df) : normalQuantile(1 - alpha / 2, 0, 1);
}

/** P(X > stat) for X ~ chi-square(df): the regularised upper incomplete gamma Q(df/2, stat/2). */
export function chisqUpperP(stat: number, df: number): number {
  if (Number.isNaN(stat) || !(df > 0)) return Number.NaN;
  if (stat <= 0) return 1;
  if (stat === Number.POSITIVE_INFINITY) return 0;
  return gammainc(stat / 2, df / 2, true, true);
}

/** P(F > stat) for F ~ F(df1, df2): I_{df2/(df2 + df1 stat)}(df2/2, df1/2), the tail's own beta integral. */
export function fUpperP(stat: number, df1: number, df2: number): number {
  if (Number.isNaN(stat) || !(df1 > 0) || !(df2 > 0)) return Number.NaN;
  if (stat <= 0) return 1;
  if (stat === Number.POSITIVE_INFINITY) return 0;
  return betainc(df2 / (df2 + df1 * stat), df2 / 2, df1 / 2, true, false);
}
