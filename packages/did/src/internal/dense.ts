/**
 * Small dense helpers for the k x k systems of the 2x2 estimators (k = covariates + 1), on top of the
 * regression core's Cholesky. Row-major k x k matrices; n x k designs are arrays of columns.
 */
import { choleskyInverse, choleskyPivoted } from '@panel-lab/regression';

/** Inverse of a symmetric positive-definite matrix by Cholesky; null when not positive definite. */
export function invertSpd(a: Float64Array, k: number): Float64Array | null {
  const ch = choleskyPivoted(a, k, 1e-14);
  return ch.dropped.length > 0 ? null : choleskyInverse(ch.factor, k);
}

/** Reciprocal condition number estimate (1-norm, from the explicit inverse); 0 when singular. */
export function rcondSpd(a: Float64Array, k: number): number {
  const inv = invertSpd(a, k);
  if (!inv) return 0;
  return 1 / (norm1(a, k) * norm1(inv, k));
}

function norm1(a: Float64Array, k: number): number {
  let best = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.abs(a[i * k + j]!);
    if (s > best) best = s;
  }
  return best;
}

/** Weighted cross-product X' diag(w) X (row-major k x k) over the rows where mask is true. */
export function weightedCross(x: readonly Float64Array[], w: ArrayLike<number>): Float64Array {
  const k = x.length;
  const out = new Float64Array(k * k);
  const n = w.length;
  for (let a = 0; a < k; a++) {
    const xa = x[a]!;
    for (let b = 0; b <= a; b++) {
      const xb = x[b]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i]! * xa[i]! * xb[i]!;
      out[a * k + b] = s;
      out[b * k + a] = s;
    }
  }
  return out;
}

/** X' v (length k). */
export function crossVec(x: readonly Float64Array[], v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let a = 0; a < x.length; a++) {
    const xa = x[a]!;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += xa[i]! * v[i]!;
    out[a] = s;
  }
  return out;
}

/** Row-wise x_i' b for an array of columns. */
export function rowDot(x: readonly Float64Array[], b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let a = 0; a < x.length; a++) {
    const xa = x[a]!;
    const ba = b[a]!;
    for (let i = 0; i < n; i++) out[i]! += xa[i]! * ba;
  }
  return out;
}
