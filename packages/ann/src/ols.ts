import { solveSymmetric } from '@panel-lab/regression';

/**
 * Pooled OLS with intercept on a row-major design, fitted on `rows`: centred normal equations solved with
 * @panel-lab/regression's pivoted Cholesky (`solveSymmetric`, fixest's collinearity tolerance). A collinear
 * input is an error here (the comparison needs every input), not a silent drop.
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
  let beta: Float64Array;
  try {
    beta = solveSymmetric(xtx, xty, p);
  } catch (e) {
    throw new Error(`OLS X'X: ${(e as Error).message} (input columns numbered from 0)`);
  }
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
