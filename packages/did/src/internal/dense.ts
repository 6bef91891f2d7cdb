/**
 * Small dense linear algebra for the k x k systems of the 2x2 estimators (k = covariates + 1).
 * Row-major k x k matrices; n x k designs are arrays of columns. Kept local because the
 * regression core was being written at the same time (candidate for deduplication).
 */

/** Inverse of a symmetric positive-definite matrix by Cholesky; null when not positive definite. */
export function invertSpd(a: Float64Array, k: number): Float64Array | null {
  const L = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!;
    for (let m = 0; m < j; m++) d -= L[j * k + m]! ** 2;
    if (!(d > 1e-14 * Math.max(1e-300, Math.abs(a[j * k + j]!)))) return null;
    const ljj = Math.sqrt(d);
    L[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let m = 0; m < j; m++) s -= L[i * k + m]! * L[j * k + m]!;
      L[i * k + j] = s / ljj;
    }
  }
  const inv = new Float64Array(k * k);
  const col = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    col.fill(0);
    col[c] = 1;
    for (let i = 0; i < k; i++) {
      let s = col[i]!;
      for (let m = 0; m < i; m++) s -= L[i * k + m]! * col[m]!;
      col[i] = s / L[i * k + i]!;
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = col[i]!;
      for (let m = i + 1; m < k; m++) s -= L[m * k + i]! * col[m]!;
      col[i] = s / L[i * k + i]!;
    }
    for (let i = 0; i < k; i++) inv[i * k + c] = col[i]!;
  }
  return inv;
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

/** y = A b for a row-major k x k matrix. */
export function matVec(a: Float64Array, b: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += a[i * k + j]! * b[j]!;
    out[i] = s;
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

/** Solves the symmetric positive-definite system A x = b; null when singular. */
export function solveSpd(a: Float64Array, b: ArrayLike<number>, k: number): Float64Array | null {
  const inv = invertSpd(a, k);
  return inv ? matVec(inv, b, k) : null;
}
