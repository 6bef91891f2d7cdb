/**
 * Panel HAC variances as fixest's `NW` and `DK`: Bartlett weights 1 - l / (L + 1) on the
 * lag-l cross products of the scores, lags counted in distinct periods (time codes are the
 * ranks of the sorted periods). Small-sample factor T / (T - 1) when gAdj (T = number of
 * periods, fixest's G for these types); the (n - 1) / (n - K) of K.adj and the t df T - 1
 * come from the common rules (gMin = T).
 */
import { countLevels, sandwich } from './vcov-kernels.js';

/** fixest's default lag: floor(T^(1/4)). */
export function defaultHacLag(nPeriods: number): number {
  return Math.floor(nPeriods ** 0.25);
}

/** Bartlett weights for lags 0..L, at most T - 2 (fixest stops at T - 1 weights). */
function bartlett(lag: number, nPeriods: number): Float64Array {
  const L = Math.min(lag, nPeriods - 2);
  return Float64Array.from({ length: Math.max(L, 0) + 1 }, (_, l) => 1 - l / (lag + 1));
}

/** Adds w Σ a_r b_r' over the row pairs into `out` (k x k row-major). */
function addCross(out: Float64Array, scores: readonly Float64Array[], rowsA: ArrayLike<number>, rowsB: ArrayLike<number>, w: number): void {
  const k = scores.length;
  for (let p = 0; p < k; p++) {
    const sp = scores[p]!;
    for (let q = 0; q < k; q++) {
      const sq = scores[q]!;
      let s = 0;
      for (let r = 0; r < rowsA.length; r++) s += sp[rowsA[r]!]! * sq[rowsB[r]!]!;
      out[p * k + q]! += w * s;
    }
  }
}

/**
 * Panel Newey-West: Σ_l w_l Σ_i Σ_t (s_{i,t} s_{i,t-l}' + s_{i,t-l} s_{i,t}'), lag 0 once.
 * A (unit, period) pair may occur only once.
 */
export function vcovNeweyWest(args: {
  bread: Float64Array;
  scores: readonly Float64Array[];
  unit: Int32Array;
  time: Int32Array;
  lag: number | null;
  gAdj: boolean;
}): { vcov: Float64Array; gMin: number; nClusters: number[]; lag: number } {
  const { scores, unit, time } = args;
  const k = scores.length;
  const n = unit.length;
  const T = countLevels(time);
  const G = countLevels(unit);
  const lag = args.lag ?? defaultHacLag(T);
  const w = bartlett(lag, T);
  // row of (unit, period), -1 where absent
  const cell = new Int32Array(G * T).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = unit[i]! * T + time[i]!;
    if (cell[c]! >= 0) throw new Error('vcov NW: there are (unit x time) duplicates; use Driscoll-Kraay or build duplicate-free units');
    cell[c] = i;
  }
  const half = new Float64Array(k * k);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  addCross(half, scores, all, all, w[0]! / 2);
  for (let l = 1; l < w.length; l++) {
    const a: number[] = [];
    const b: number[] = [];
    for (let g = 0; g < G; g++) {
      for (let t = l; t < T; t++) {
        const i = cell[g * T + t]!;
        const j = cell[g * T + t - l]!;
        if (i >= 0 && j >= 0) {
          a.push(i);
          b.push(j);
        }
      }
    }
    addCross(half, scores, a, b, w[l]!);
  }
  const meat = symmetrize(half, k);
  const vcov = sandwich(args.bread, meat, k);
  if (args.gAdj) for (let m = 0; m < k * k; m++) vcov[m]! *= T / (T - 1);
  return { vcov, gMin: T, nClusters: [], lag };
}

/** Driscoll-Kraay: scores summed by period, then the time-series Newey-West of those sums. */
export function vcovDriscollKraay(args: {
  bread: Float64Array;
  scores: readonly Float64Array[];
  time: Int32Array;
  lag: number | null;
  gAdj: boolean;
}): { vcov: Float64Array; gMin: number; nClusters: number[]; lag: number } {
  const { scores, time } = args;
  const k = scores.length;
  const T = countLevels(time);
  const lag = args.lag ?? defaultHacLag(T);
  const w = bartlett(lag, T);
  const sums = Array.from({ length: k }, () => new Float64Array(T));
  for (let p = 0; p < k; p++) {
    const s = scores[p]!;
    const out = sums[p]!;
    for (let i = 0; i < time.length; i++) out[time[i]!]! += s[i]!;
  }
  const half = new Float64Array(k * k);
  for (let l = 0; l < w.length; l++) {
    const a = Int32Array.from({ length: T - l }, (_, t) => t + l);
    const b = Int32Array.from({ length: T - l }, (_, t) => t);
    addCross(half, sums, a, b, l === 0 ? w[0]! / 2 : w[l]!);
  }
  const meat = symmetrize(half, k);
  const vcov = sandwich(args.bread, meat, k);
  if (args.gAdj) for (let m = 0; m < k * k; m++) vcov[m]! *= T / (T - 1);
  return { vcov, gMin: T, nClusters: [], lag };
}

/** M + M'. */
function symmetrize(m: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) out[p * k + q] = m[p * k + q]! + m[q * k + p]!;
  return out;
}
