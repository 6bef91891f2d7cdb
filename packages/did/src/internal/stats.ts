import { chisqUpperP, fUpperP, twoSidedP } from '@panel-lab/regression';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

// The p-values are the regression core's upper tails (never 1 - cdf, which is 0 beyond |z| ~ 8.3).

/** Standard normal quantile. */
export const qnorm = (p: number): number => normalQuantile(p, 0, 1);
/** Two-sided normal p-value of a z statistic: 2 Phi(-|z|). */
export const pnormTwoSided = (z: number): number => twoSidedP(z, Number.POSITIVE_INFINITY);
/** Upper tail of chi-square(df). */
export const pchisqUpper = (x: number, df: number): number => chisqUpperP(x, df);
/** Two-sided t p-value: 2 P(T <= -|t|). */
export const ptTwoSided = (t: number, df: number): number => twoSidedP(t, df);
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
  return Number.isFinite(d2) ? fUpperP(f, d1, d2) : pchisqUpper(f * d1, d1);
}
