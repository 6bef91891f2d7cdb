/**
 * Quantiles of |N(mu, 1)|. HonestDiD 0.2.6 simulates them (1e6 draws of rnorm after set.seed(seed),
 * R's type-7 quantile); 'r-simulation' reproduces those draws exactly, 'exact' solves
 * Phi(q - mu) - Phi(-q - mu) = p instead.
 */
import { qnorm } from '../internal/stats.js';
import { pnorm } from './normal.js';
import { RRandom } from './r-rng.js';

export type FoldedQuantileMethod = 'r-simulation' | 'exact';

const SIMS = 1_000_000;
const drawCache = new Map<number, Float64Array>();

function draws(seed: number): Float64Array {
  let d = drawCache.get(seed);
  if (!d) {
    const rng = new RRandom(seed);
    d = new Float64Array(SIMS);
    for (let i = 0; i < SIMS; i++) d[i] = rng.norm();
    drawCache.set(seed, d);
  }
  return d;
}

/** k-th smallest (0-based) of a scratch array, by quickselect (the array is reordered). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

const scratch = new Float64Array(SIMS);

export function foldedNormalQuantile(p: number, mu: number, method: FoldedQuantileMethod = 'r-simulation', seed = 0): number {
  if (!Number.isFinite(mu)) return Number.NaN;
  if (method === 'exact') {
    const m = Math.abs(mu);
    // Bracket: q in [m + qnorm(p), m + qnorm((1 + p) / 2)] as the lower tail only helps.
    let lo = Math.max(0, m + qnorm(p) - 1e-12);
    let hi = m + qnorm((1 + p) / 2) + 1e-12;
    for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, hi); it++) {
      const mid = (lo + hi) / 2;
      if (pnorm(mid - m) - pnorm(-mid - m) < p) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }
  const d = draws(seed);
  for (let i = 0; i < SIMS; i++) scratch[i] = Math.abs(d[i]! + mu);
  const h = (SIMS - 1) * p;
  const k = Math.floor(h);
  const xk = select(scratch, k);
  // The (k+1)-th order statistic is the minimum of the part above position k after selection.
  let next = Infinity;
  for (let i = k + 1; i < SIMS; i++) if (scratch[i]! < next) next = scratch[i]!;
  return h === k ? xk : xk + (h - k) * (next - xk);
}
