import { choleskyInverse, choleskyPivoted, crossProducts } from './linalg.js';

export type Separation = 'none' | 'quasi-complete' | 'complete';

export interface LogitOptions {
  /** Prior weights (glm's `weights`); default 1 for every row. */
  readonly weights?: Float64Array;
  /** Default 50 (glm.control maxit is 25; separated fits need more to show it). */
  readonly maxIter?: number;
  /** Relative deviance change at which to stop; default 1e-8 (glm.control epsilon), so iterates equal glm's. */
  readonly tol?: number;
}

export interface LogitFit {
  readonly coef: Float64Array;
  /** (X'WX)^-1 with the working weights of the last iteration: glm's vcov (dispersion 1). */
  readonly vcov: Float64Array;
  /** Fitted probabilities and the linear predictor. */
  readonly p: Float64Array;
  readonly eta: Float64Array;
  readonly deviance: number;
  readonly nullDeviance: number;
  /** Converged and not separated. */
  readonly converged: boolean;
  readonly iterations: number;
  readonly separation: Separation;
  /** Rows fitted at 0 or 1 (within 1e-8): the separated observations. */
  readonly separatedRows: readonly number[];
  /** Columns dropped up front as collinear (indices into x); coef and vcov cover the kept ones. */
  readonly dropped: readonly number[];
  /** The working X'WX became singular during the iterations (weights collapsed); coef is the last good iterate. */
  readonly hessianSingular: boolean;
}

const EPS_P = 1e-8;

function deviance(y: Float64Array, p: Float64Array, w: Float64Array | undefined): number {
  let dev = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const pi = Math.min(Math.max(p[i]!, 1e-300), 1 - 1e-16);
    dev -= 2 * (w ? w[i]! : 1) * (yi * Math.log(pi) + (1 - yi) * Math.log(1 - pi));
  }
  return dev;
}

/**
 * Logistic regression (binomial GLM, logit link) by iteratively reweighted least squares, with
 * glm's start values and convergence rule. x: columns, intercept included by the caller; y in [0, 1].
 * Collinear columns are dropped up front and separation is detected and reported instead of
 * silently returning huge coefficients.
 */
export function logitFit(x: readonly Float64Array[], y: Float64Array, options: LogitOptions = {}): LogitFit {
  const n = y.length;
  const w = options.weights;
  if (w && w.length !== n) throw new Error(`logitFit option weights: has ${w.length} entries, y has ${n}`);
  const pre = choleskyPivoted(crossProducts(x, y, w).xtx, x.length);
  const cols = pre.kept.map((j) => x[j]!);
  const k = cols.length;
  const eta = new Float64Array(n);
  const p = new Float64Array(n);
  // glm's binomial start: mu = (w y + 0.5) / (w + 1)
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    const mu = (wi * y[i]! + 0.5) / (wi + 1);
    eta[i] = Math.log(mu / (1 - mu));
  }
  let coef = new Float64Array(k);
  let inv: Float64Array = new Float64Array(k * k);
  let devOld = Number.POSITIVE_INFINITY;
  let converged = false;
  let hessianSingular = false;
  let iterations = 0;
  const ww = new Float64Array(n);
  const z = new Float64Array(n);
  const maxIter = options.maxIter ?? 50;
  const tol = options.tol ?? 1e-8;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    for (let i = 0; i < n; i++) {
      const mu = 1 / (1 + Math.exp(-eta[i]!));
      const v = Math.max(mu * (1 - mu), 1e-300);
      ww[i] = (w ? w[i]! : 1) * v;
      z[i] = eta[i]! + (y[i]! - mu) / v;
    }
    const { xtx, xty } = crossProducts(cols, z, ww);
    const ch = choleskyPivoted(xtx, k, 1e-14);
    if (ch.dropped.length) {
      hessianSingular = true;
      break;
    }
    inv = choleskyInverse(ch.factor, k);
    const next = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < k; d++) s += inv[c * k + d]! * xty[d]!;
      next[c] = s;
    }
    coef = next;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let c = 0; c < k; c++) e += cols[c]![i]! * coef[c]!;
      eta[i] = e;
      p[i] = 1 / (1 + Math.exp(-e));
    }
    const dev = deviance(y, p, w);
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < tol) {
      converged = true;
      break;
    }
    devOld = dev;
  }
  const separatedRows: number[] = [];
  for (let i = 0; i < n; i++) if ((!w || w[i]! > 0) && (p[i]! < EPS_P || p[i]! > 1 - EPS_P)) separatedRows.push(i);
  const dev = deviance(y, p, w);
  const separation: Separation = separatedRows.length === 0 ? 'none' : separatedRows.length === n || dev < 1e-6 ? 'complete' : 'quasi-complete';
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    sw += w ? w[i]! : 1;
    swy += (w ? w[i]! : 1) * y[i]!;
  }
  const nullDeviance = deviance(y, new Float64Array(n).fill(swy / sw), w);
  return { coef, vcov: inv, p, eta, deviance: dev, nullDeviance, converged: converged && separation === 'none', iterations, separation, separatedRows, dropped: pre.dropped, hessianSingular };
}
