import { crossVec, invertSpd, rowDot, weightedCross } from './dense.js';

export interface LogitFit {
  readonly coef: Float64Array;
  /** Fitted probabilities. */
  readonly p: Float64Array;
  /** (X' diag(w p (1-p)) X)^-1: R glm's vcov for the binomial family (dispersion 1). */
  readonly vcov: Float64Array;
  readonly converged: boolean;
  readonly iterations: number;
}

/**
 * Weighted logistic regression by iteratively reweighted least squares (R glm's algorithm and
 * convergence rule: relative deviance change below 1e-10 here, tighter than glm's 1e-8, so the
 * MLE matches glm to well below the golden tolerances). Returns null when X'WX is singular.
 */
export function fitLogit(x: readonly Float64Array[], y: Float64Array, w: Float64Array, maxIter = 50): LogitFit | null {
  const n = y.length;
  const k = x.length;
  let coef: Float64Array = new Float64Array(k);
  // glm's start: mu = (w y + 0.5)/(w + 1), eta = logit(mu)
  let eta: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mu = (w[i]! * y[i]! + 0.5) / (w[i]! + 1);
    eta[i] = Math.log(mu / (1 - mu));
  }
  let devOld = Number.POSITIVE_INFINITY;
  let converged = false;
  let iterations = 0;
  const p = new Float64Array(n);
  const wz = new Float64Array(n);
  const ww = new Float64Array(n);
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    for (let i = 0; i < n; i++) {
      const mu = 1 / (1 + Math.exp(-eta[i]!));
      const v = Math.max(mu * (1 - mu), 1e-300);
      ww[i] = w[i]! * v;
      wz[i] = ww[i]! * (eta[i]! + (y[i]! - mu) / v);
    }
    const xtwx = weightedCross(x, ww);
    const inv = invertSpd(xtwx, k);
    if (!inv) return null;
    const xtwz = crossVec(x, wz);
    const next = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += inv[a * k + b]! * xtwz[b]!;
      next[a] = s;
    }
    coef = next;
    eta = rowDot(x, coef, n);
    let dev = 0;
    for (let i = 0; i < n; i++) {
      const mu = 1 / (1 + Math.exp(-eta[i]!));
      p[i] = mu;
      const yi = y[i]!;
      dev -= 2 * w[i]! * (yi > 0 ? yi * Math.log(mu) : 0) + 2 * w[i]! * (yi < 1 ? (1 - yi) * Math.log(1 - mu) : 0);
    }
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < 1e-10) {
      converged = true;
      break;
    }
    devOld = dev;
  }
  for (let i = 0; i < n; i++) ww[i] = w[i]! * p[i]! * (1 - p[i]!);
  const vcov = invertSpd(weightedCross(x, ww), k);
  if (!vcov) return null;
  return { coef, p, vcov, converged, iterations };
}
