/**
 * Logistic regression by Newton-Raphson / IRLS (R glm's algorithm and start values) with
 * separation detected and reported instead of silently returning huge coefficients.
 * A small dense helper kept here because the regression core has no GLM (tell the lead).
 */
import { choleskyInverse, choleskyPivoted } from '@panel-lab/regression';

export type Separation = 'none' | 'quasi-complete' | 'complete';

export interface LogitIrlsFit {
  readonly coef: Float64Array;
  /** (X'WX)⁻¹ at the estimate: glm's vcov (dispersion 1). */
  readonly vcov: Float64Array;
  readonly p: Float64Array;
  readonly eta: Float64Array;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly separation: Separation;
  /** Rows fitted at 0 or 1 (within 1e-8): the separated observations. */
  readonly separatedRows: readonly number[];
  /** Columns dropped as collinear (indices into x). */
  readonly dropped: readonly number[];
}

const EPS_P = 1e-8;

function deviance(y: Float64Array, p: Float64Array): number {
  let dev = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const pi = Math.min(Math.max(p[i]!, 1e-300), 1 - 1e-16);
    dev -= 2 * (yi * Math.log(pi) + (1 - yi) * Math.log(1 - pi));
  }
  return dev;
}

/** x: columns (intercept included by the caller); y in {0,1}. */
/** tol: relative deviance change at which to stop (glm.control epsilon 1e-8, so iterates equal glm's). */
export function logitIrls(x: readonly Float64Array[], y: Float64Array, maxIter = 50, tol = 1e-8): LogitIrlsFit {
  const n = y.length;
  const k0 = x.length;
  // drop collinear columns up front (on X'X)
  const xtx = new Float64Array(k0 * k0);
  for (let a = 0; a < k0; a++) for (let b = 0; b <= a; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[a]![i]! * x[b]![i]!;
    xtx[a * k0 + b] = xtx[b * k0 + a] = s;
  }
  const pre = choleskyPivoted(xtx, k0);
  const cols = pre.kept.map((j) => x[j]!);
  const k = cols.length;
  const eta = new Float64Array(n);
  const p = new Float64Array(n);
  // glm's start: mu = (y + 0.5) / 2
  for (let i = 0; i < n; i++) {
    const mu = (y[i]! + 0.5) / 2;
    eta[i] = Math.log(mu / (1 - mu));
  }
  let coef = new Float64Array(k);
  let devOld = Number.POSITIVE_INFINITY;
  let converged = false;
  let iterations = 0;
  let inv: Float64Array = new Float64Array(k * k);
  const ww = new Float64Array(n);
  const z = new Float64Array(n);
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    for (let i = 0; i < n; i++) {
      const mu = 1 / (1 + Math.exp(-eta[i]!));
      const v = Math.max(mu * (1 - mu), 1e-300);
      ww[i] = v;
      z[i] = eta[i]! + (y[i]! - mu) / v;
    }
    const a = new Float64Array(k * k);
    const b = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const xc = cols[c]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += xc[i]! * ww[i]! * z[i]!;
      b[c] = s;
      for (let d = 0; d <= c; d++) {
        const xd = cols[d]!;
        let t = 0;
        for (let i = 0; i < n; i++) t += xc[i]! * ww[i]! * xd[i]!;
        a[c * k + d] = a[d * k + c] = t;
      }
    }
    const ch = choleskyPivoted(a, k, 1e-14);
    if (ch.dropped.length) break; // weights collapsed: separation; reported below
    inv = choleskyInverse(ch.factor, k);
    const next = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < k; d++) s += inv[c * k + d]! * b[d]!;
      next[c] = s;
    }
    coef = next;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let c = 0; c < k; c++) e += cols[c]![i]! * coef[c]!;
      eta[i] = e;
      p[i] = 1 / (1 + Math.exp(-e));
    }
    const dev = deviance(y, p);
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < tol) {
      converged = true;
      break;
    }
    devOld = dev;
  }
  const separatedRows: number[] = [];
  for (let i = 0; i < n; i++) if (p[i]! < EPS_P || p[i]! > 1 - EPS_P) separatedRows.push(i);
  const dev = deviance(y, p);
  const separation: Separation = separatedRows.length === 0 ? 'none' : separatedRows.length === n || dev < 1e-6 ? 'complete' : 'quasi-complete';
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i]!;
  ybar /= n;
  const nullDeviance = deviance(y, new Float64Array(n).fill(ybar));
  return { coef, vcov: inv, p, eta, deviance: dev, nullDeviance, converged: converged && separation === 'none', iterations, separation, separatedRows, dropped: pre.dropped };
}
