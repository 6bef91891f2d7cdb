import { cholesky, choleskySolve } from './linalg.js';

/**
 * Pooled OLS with intercept on a row-major design, fitted on `rows` (normal equations, Cholesky).
 * Kept local for the ANN-vs-OLS comparison; @panel-lab/regression's feols is the general tool.
 */
export interface OlsFit {
  /** [intercept, b_1 … b_p] */
  readonly coef: readonly number[];
}

export function fitOls(x: Float64Array, p: number, y: Float64Array, rows: ArrayLike<number>): OlsFit {
  const k = p + 1;
  // Centre columns over the fitted rows first so X'X is well conditioned even with large-scale inputs.
  const mu = new Float64Array(p);
  let ybar = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    for (let j = 0; j < p; j++) mu[j] = mu[j]! + x[i * p + j]! / rows.length;
    ybar += y[i]! / rows.length;
  }
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const xc = new Float64Array(p);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    for (let j = 0; j < p; j++) xc[j] = x[i * p + j]! - mu[j]!;
    const yc = y[i]! - ybar;
    for (let a = 0; a < p; a++) {
      xty[a] = xty[a]! + xc[a]! * yc;
      for (let b = 0; b <= a; b++) xtx[a * p + b] = xtx[a * p + b]! + xc[a]! * xc[b]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[b * p + a] = xtx[a * p + b]!;
  if (rows.length < k) throw new Error(`OLS needs at least ${k} rows, got ${rows.length}`);
  const beta = choleskySolve(cholesky(xtx, p, "OLS X'X"), p, xty);
  let intercept = ybar;
  for (let j = 0; j < p; j++) intercept -= beta[j]! * mu[j]!;
  return Object.freeze({ coef: [intercept, ...beta] });
}

export function predictOls(fit: OlsFit, x: Float64Array, p: number, rows: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: rows.length }, (_, r) => {
    const i = rows[r]!;
    let s = fit.coef[0]!;
    for (let j = 0; j < p; j++) s += fit.coef[j + 1]! * x[i * p + j]!;
    return s;
  });
}
