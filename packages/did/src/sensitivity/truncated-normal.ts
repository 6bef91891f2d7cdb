/** Quantile of N(0,1) truncated to [lo, hi], computed on the side that keeps precision in the tails. */
import { qnorm } from '../internal/stats.js';
import { pnorm } from './normal.js';

export function truncatedNormalQuantile(p: number, lo: number, hi: number): number {
  if (!(lo <= hi)) throw new Error(`sensitivity: empty truncation interval [${lo}, ${hi}]`);
  if (lo > 0) {
    // Upper tail: work with survival probabilities S(x) = Phi(-x).
    const sLo = pnorm(-lo);
    const sHi = pnorm(-hi);
    return -qnorm(sLo - p * (sLo - sHi));
  }
  const fLo = pnorm(lo);
  const fHi = pnorm(hi);
  return qnorm(fLo + p * (fHi - fLo));
}
