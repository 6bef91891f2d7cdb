import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Standard normal quantile. */
export const qnorm = (p: number): number => normalQuantile(p, 0, 1);
/** Two-sided normal p-value of a z statistic. */
export const pnormTwoSided = (z: number): number => 2 * (1 - normalCdf(Math.abs(z), 0, 1));
/** Upper tail of chi-square(df). */
export const pchisqUpper = (x: number, df: number): number => 1 - chisquareCdf(x, df);
/** Two-sided t p-value. */
export const ptTwoSided = (t: number, df: number): number => 2 * (1 - tCdf(Math.abs(t), df));
/** t quantile. */
export const qt = (p: number, df: number): number => tQuantile(p, df);

/** R's quantile(type = 1): the inverse of the empirical CDF. Sorts a copy. */
export function quantileType1(values: ArrayLike<number>, p: number): number {
  const v = Float64Array.from(values).filter((x) => !Number.isNaN(x)).sort();
  if (v.length === 0) return Number.NaN;
  const j = Math.max(1, Math.ceil(v.length * p - 1e-12));
  return v[Math.min(j, v.length) - 1]!;
}

/** Upper tail of F(d1, d2); chi-square(d1)/d1 when d2 is not finite. */
export function pfUpper(f: number, d1: number, d2: number): number {
  return Number.isFinite(d2) ? 1 - fCdf(f, d1, d2) : pchisqUpper(f * d1, d1);
}
