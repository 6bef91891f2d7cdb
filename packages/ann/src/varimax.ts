import { symmetricEigen } from './linalg.js';

/**
 * Varimax rotation with Kaiser normalisation, the algorithm of R stats::varimax (eps 1e-5):
 * the SVD step T = U Vᵀ of B is computed as the polar factor B (BᵀB)^(-1/2).
 */
export function varimax(loadings: Float64Array, p: number, m: number, eps = 1e-5, maxIter = 1000): Float64Array {
  return varimaxRotation(loadings, p, m, eps, maxIter).loadings;
}

/**
 * Varimax as `varimax`, also returning the m×m orthogonal rotation T (row-major) with
 * rotated = loadings · T (R's `$rotmat`).
 */
export function varimaxRotation(loadings: Float64Array, p: number, m: number, eps = 1e-5, maxIter = 1000): { loadings: Float64Array; rotation: Float64Array } {
  const sc = new Float64Array(p);
  const x = new Float64Array(p * m);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += loadings[j * m + k]! ** 2;
    sc[j] = Math.sqrt(s) || 1;
    for (let k = 0; k < m; k++) x[j * m + k] = loadings[j * m + k]! / sc[j]!;
  }
  let t: Float64Array = new Float64Array(m * m);
  for (let k = 0; k < m; k++) t[k * m + k] = 1;
  let d = 0;
  const z = new Float64Array(p * m);
  for (let iter = 0; iter < maxIter; iter++) {
    matMul(x, t, z, p, m, m);
    const colSq = new Float64Array(m);
    for (let j = 0; j < p; j++) for (let k = 0; k < m; k++) colSq[k] = colSq[k]! + z[j * m + k]! ** 2;
    const b = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) {
        const zj = z[j * m + c]!;
        s += x[j * m + a]! * (zj ** 3 - (zj * colSq[c]!) / p);
      }
      b[a * m + c] = s;
    }
    const { polar, traceSqrt } = polarFactor(b, m);
    t = polar;
    const dPast = d;
    d = traceSqrt;
    if (d < dPast * (1 + eps)) break;
  }
  matMul(x, t, z, p, m, m);
  for (let j = 0; j < p; j++) for (let k = 0; k < m; k++) z[j * m + k] = z[j * m + k]! * sc[j]!;
  return { loadings: z, rotation: t };
}

function matMul(a: Float64Array, b: Float64Array, out: Float64Array, r: number, inner: number, c: number): void {
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) {
    let s = 0;
    for (let k = 0; k < inner; k++) s += a[i * inner + k]! * b[k * c + j]!;
    out[i * c + j] = s;
  }
}

/** U Vᵀ of the SVD of B (= B (BᵀB)^(-1/2)) and the sum of singular values. */
function polarFactor(b: Float64Array, m: number): { polar: Float64Array; traceSqrt: number } {
  const btb = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += b[k * m + i]! * b[k * m + j]!;
    btb[i * m + j] = s;
  }
  const { values, vectors } = symmetricEigen(btb, m);
  const invSqrt = new Float64Array(m * m);
  let traceSqrt = 0;
  for (let k = 0; k < m; k++) {
    const sv = Math.sqrt(Math.max(values[k]!, 0));
    traceSqrt += sv;
    const w = sv > 1e-300 ? 1 / sv : 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) invSqrt[i * m + j] = invSqrt[i * m + j]! + vectors[i * m + k]! * w * vectors[j * m + k]!;
  }
  const polar = new Float64Array(m * m);
  matMul(b, invSqrt, polar, m, m, m);
  return { polar, traceSqrt };
}
