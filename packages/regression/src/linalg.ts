/**
 * Small dense linear algebra over Float64Array (row-major k x k symmetric matrices) and the
 * OLS helper built on it. Column-major n x k design matrices are arrays of columns.
 */

/** Default relative pivot tolerance for collinearity (fixest's collin.tol). */
export const COLLIN_TOL = 1e-10;

export interface CholeskyResult {
  /** Lower factor of the kept sub-matrix, row-major kept x kept. */
  readonly factor: Float64Array;
  /** Indices (into the original k) kept, in order. */
  readonly kept: readonly number[];
  /** Indices dropped as collinear with earlier columns. */
  readonly dropped: readonly number[];
}

/**
 * Cholesky of a symmetric positive semi-definite matrix, in column order, skipping any column
 * whose remaining pivot is below tol x its diagonal (it is collinear with earlier columns), as
 * fixest's cpp_cholesky does. Earlier columns win, so the user's order decides what is dropped.
 */
export function choleskyPivoted(a: Float64Array, k: number, tol = COLLIN_TOL): CholeskyResult {
  const L = new Float64Array(k * k); // full-size scratch, rows/cols of dropped entries stay 0
  const kept: number[] = [];
  const dropped: number[] = [];
  for (let j = 0; j < k; j++) {
    const ajj = a[j * k + j]!;
    let d = ajj;
    for (const m of kept) d -= L[j * k + m]! * L[j * k + m]!;
    if (!(ajj > 0) || !(d > tol * ajj)) {
      dropped.push(j);
      continue;
    }
    const ljj = Math.sqrt(d);
    L[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (const m of kept) s -= L[i * k + m]! * L[j * k + m]!;
      L[i * k + j] = s / ljj;
    }
    kept.push(j);
  }
  const p = kept.length;
  const factor = new Float64Array(p * p);
  for (let r = 0; r < p; r++) for (let c = 0; c <= r; c++) factor[r * p + c] = L[kept[r]! * k + kept[c]!]!;
  return { factor, kept, dropped };
}

/** Solves L L' x = b in place for a row-major lower factor of size p. */
export function choleskySolveInPlace(factor: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= factor[i * p + m]! * b[m]!;
    b[i] = s / factor[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let m = i + 1; m < p; m++) s -= factor[m * p + i]! * b[m]!;
    b[i] = s / factor[i * p + i]!;
  }
}

/** Inverse of L L' (row-major p x p). */
export function choleskyInverse(factor: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const col = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySolveInPlace(factor, p, col);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i]!;
  }
  return inv;
}

/**
 * Solves the symmetric system A x = b (A row-major k x k). Throws when A is singular; use
 * choleskyPivoted directly to drop collinear columns instead.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, k: number, tol = COLLIN_TOL): Float64Array {
  const ch = choleskyPivoted(a, k, tol);
  if (ch.dropped.length > 0) throw new Error(`singular system: column(s) ${ch.dropped.join(', ')} are linearly dependent on earlier ones`);
  const x = Float64Array.from(b);
  choleskySolveInPlace(ch.factor, k, x);
  return x;
}

/**
 * X'WX (row-major k x k) and X'Wy for column-major X, in one pass over memory: rows in blocks that
 * stay in cache, every pair per block. The weight multiplies inside the block ((x_a w) x_b, the
 * same rounding as a weighted copy) so no weighted copy of X is allocated.
 */
export function crossProducts(
  columns: readonly Float64Array[],
  y: Float64Array,
  weights?: Float64Array,
): { xtx: Float64Array; xty: Float64Array } {
  const k = columns.length;
  const n = y.length;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  const BLOCK = 2048;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let a = 0; a < k; a++) {
      const xa = columns[a]!;
      xty[a]! += weights ? weightedDotRange(xa, weights, y, i0, i1) : dotRange(xa, y, i0, i1);
      for (let b = 0; b <= a; b++) {
        xtx[a * k + b]! += weights ? weightedDotRange(xa, weights, columns[b]!, i0, i1) : dotRange(xa, columns[b]!, i0, i1);
      }
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) xtx[b * k + a] = xtx[a * k + b]!;
  return { xtx, xty };
}

/** Σ a b over [i0, i1): a leaf kernel, so it is optimized once and inlined, never run interpreted. */
function dotRange(a: Float64Array, b: Float64Array, i0: number, i1: number): number {
  let s = 0;
  for (let i = i0; i < i1; i++) s += a[i]! * b[i]!;
  return s;
}

/** Σ (a w) b over [i0, i1). */
function weightedDotRange(a: Float64Array, w: Float64Array, b: Float64Array, i0: number, i1: number): number {
  let s = 0;
  for (let i = i0; i < i1; i++) s += a[i]! * w[i]! * b[i]!;
  return s;
}

export interface OlsFit {
  /** Coefficients of the kept columns, in order. */
  readonly coef: Float64Array;
  readonly kept: readonly number[];
  readonly dropped: readonly number[];
  /** (X'WX)^-1 over kept columns, row-major. */
  readonly xtxInv: Float64Array;
  /** y - Xβ (empty when opts.residuals is false). */
  readonly residuals: Float64Array;
}

/** Weighted least squares of y on column-major X via pivoted Cholesky; collinear columns dropped. */
export function olsFit(columns: readonly Float64Array[], y: Float64Array, opts: { weights?: Float64Array; tol?: number; residuals?: boolean; names?: readonly string[] } = {}): OlsFit {
  const k = columns.length;
  const { xtx, xty } = crossProducts(columns, y, opts.weights);
  // an overflowed (Inf) or NaN sum of squares would fail the pivot test and the column would be
  // dropped as collinear, silently
  for (let j = 0; j < k; j++) {
    const d = xtx[j * k + j]!;
    if (!Number.isFinite(d)) {
      const name = opts.names?.[j] !== undefined ? `'${opts.names[j]}'` : `column ${j}`;
      throw new Error(`olsFit: the sum of squares of ${name} is ${d}: its values (or the weights) are missing or so large that float64 sums of squares overflow; rescale it`);
    }
  }
  const sol = solveNormalEquations(xtx, xty, k, opts.tol ?? COLLIN_TOL);
  const { coef, kept } = sol;
  const p = kept.length;
  const n = opts.residuals === false ? 0 : y.length;
  const residuals = new Float64Array(n);
  if (p === 0 && n > 0) residuals.set(y);
  for (let c = 0; c < p; c++) {
    const x = columns[kept[c]!]!;
    const b = coef[c]!;
    const src = c === 0 ? y : residuals;
    for (let i = 0; i < n; i++) residuals[i] = src[i]! - b * x[i]!;
  }
  return { ...sol, residuals };
}

/**
 * β and (X'WX)^-1 from the cross products (X'WX row-major k x k, X'Wy), collinear columns dropped by
 * the pivoted Cholesky: what olsFit does once it has them, for callers that already hold them.
 */
export function solveNormalEquations(xtx: Float64Array, xty: Float64Array, k: number, tol = COLLIN_TOL): Omit<OlsFit, 'residuals'> {
  const ch = choleskyPivoted(xtx, k, tol);
  const p = ch.kept.length;
  const coef = Float64Array.from(ch.kept, (j) => xty[j]!);
  choleskySolveInPlace(ch.factor, p, coef);
  return { coef, kept: ch.kept, dropped: ch.dropped, xtxInv: choleskyInverse(ch.factor, p) };
}

/** Gauss-Jordan inverse with partial pivoting; null when (numerically) singular. */
export function invertGeneral(a: Float64Array, k: number): Float64Array | null {
  const M = Float64Array.from(a);
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  let scale = 0;
  for (let i = 0; i < k * k; i++) scale = Math.max(scale, Math.abs(M[i]!));
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * k + c]!) > Math.abs(M[piv * k + c]!)) piv = r;
    const pv = M[piv * k + c]!;
    if (!(Math.abs(pv) > 1e-12 * scale)) return null;
    if (piv !== c) {
      for (let j = 0; j < k; j++) {
        [M[c * k + j], M[piv * k + j]] = [M[piv * k + j]!, M[c * k + j]!];
        [inv[c * k + j], inv[piv * k + j]] = [inv[piv * k + j]!, inv[c * k + j]!];
      }
    }
    for (let j = 0; j < k; j++) {
      M[c * k + j]! /= pv;
      inv[c * k + j]! /= pv;
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = M[r * k + c]!;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) {
        M[r * k + j]! -= f * M[c * k + j]!;
        inv[r * k + j]! -= f * inv[c * k + j]!;
      }
    }
  }
  return inv;
}

/** A y for a row-major m x m matrix A. */
export function matVec(A: Float64Array, m: number, y: Float64Array): Float64Array {
  const out = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let s = 0;
    for (let b = 0; b < m; b++) s += A[a * m + b]! * y[b]!;
    out[a] = s;
  }
  return out;
}

/** X M for row-major X (m x k) and M (k x k): m x k, row-major. */
export function matMul(X: Float64Array, M: Float64Array, m: number, k: number): Float64Array {
  const out = new Float64Array(m * k);
  for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += X[a * k + t]! * M[t * k + j]!;
    out[a * k + j] = s;
  }
  return out;
}
