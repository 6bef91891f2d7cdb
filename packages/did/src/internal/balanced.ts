/** Closed-form two-way fixed-effect helpers for balanced panels (unit-major nU x nT matrices). */

/**
 * TWFE coefficients of y on the columns xs with unit and period effects on a balanced panel
 * (closed-form two-way within transform, then OLS). Matrices are unit-major nU x nT.
 */
export function twfeBalanced(y: Float64Array, xs: readonly Float64Array[], nU: number, nT: number): number[] {
  const yt = withinBalanced(y, nU, nT);
  const xt = xs.map((x) => withinBalanced(x, nU, nT));
  const k = xt.length;
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let p = 0; p < k; p++) {
    for (let q = 0; q <= p; q++) {
      let s = 0;
      for (let i = 0; i < yt.length; i++) s += xt[p]![i]! * xt[q]![i]!;
      a[p * k + q] = a[q * k + p] = s;
    }
    let s = 0;
    for (let i = 0; i < yt.length; i++) s += xt[p]![i]! * yt[i]!;
    b[p] = s;
  }
  return gaussSolve(a, b, k);
}

/** x_it - mean_i - mean_t + mean on a balanced unit-major panel. */
export function withinBalanced(x: Float64Array, nU: number, nT: number): Float64Array {
  const ui = new Float64Array(nU);
  const ti = new Float64Array(nT);
  let all = 0;
  for (let u = 0; u < nU; u++) {
    for (let t = 0; t < nT; t++) {
      const v = x[u * nT + t]!;
      ui[u]! += v;
      ti[t]! += v;
      all += v;
    }
  }
  const out = new Float64Array(x.length);
  for (let u = 0; u < nU; u++) for (let t = 0; t < nT; t++) out[u * nT + t] = x[u * nT + t]! - ui[u]! / nT - ti[t]! / nU + all / (nU * nT);
  return out;
}

/** Gaussian elimination with partial pivoting (small k). */
export function gaussSolve(a: Float64Array, b: Float64Array, k: number): number[] {
  const m = Float64Array.from(a);
  const v = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r * k + c]!) > Math.abs(m[p * k + c]!)) p = r;
    if (m[p * k + c] === 0) throw new Error('singular system in the TWFE regression (collinear regressors)');
    if (p !== c) {
      for (let j = 0; j < k; j++) [m[c * k + j], m[p * k + j]] = [m[p * k + j]!, m[c * k + j]!];
      [v[c], v[p]] = [v[p]!, v[c]!];
    }
    for (let r = c + 1; r < k; r++) {
      const f = m[r * k + c]! / m[c * k + c]!;
      for (let j = c; j < k; j++) m[r * k + j]! -= f * m[c * k + j]!;
      v[r]! -= f * v[c]!;
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = v[r]!;
    for (let j = r + 1; j < k; j++) s -= m[r * k + j]! * x[j]!;
    x[r] = s / m[r * k + r]!;
  }
  return x;
}
