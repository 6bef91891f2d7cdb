/**
 * The nuisance fits of the DRDID 2x2 estimators with their asymptotic linear representations
 * (n x k, as columns): weighted OLS on a subset and the logit propensity score, as DRDID builds them.
 */
import { logitFit } from '@panel-lab/regression';
import { crossVec, invertSpd, rcondSpd, rowDot, weightedCross } from '../internal/dense.js';

export type Fit<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly reason: string };

/**
 * OLS of y on x with weights w on the rows where `mask` is set (DRDID's fastglm gaussian fit):
 * fitted values on every row and the representation w·mask·(y − fitted)·x_i' (X'WX/n)⁻¹.
 */
export function olsRep(x: readonly Float64Array[], y: Float64Array, w: Float64Array, mask: ArrayLike<number>, what: string): Fit<{ fitted: Float64Array; rep: Float64Array[] }> {
  const n = y.length;
  const k = x.length;
  const wm = Float64Array.from(w, (v, i) => v * mask[i]!);
  const xtx = weightedCross(x, wm);
  if (rcondSpd(xtx, k) < Number.EPSILON) return { ok: false, reason: `singular outcome regression among ${what}` };
  const inv = invertSpd(xtx, k)!;
  const xty = crossVec(x, Float64Array.from(y, (v, i) => v * wm[i]!));
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) beta[a]! += inv[a * k + b]! * xty[b]!;
  const fitted = rowDot(x, beta, n);
  return { ok: true, fitted, rep: representation(x, inv, n, (i) => wm[i]! * (y[i]! - fitted[i]!)) };
}

/** Propensity-score trimming of DRDID: comparison units with p >= 0.995 get weight 0. */
export const TRIM_LEVEL = 0.995;

/**
 * Logit propensity score of d on x with weights w, fitted to fastglm's iterate (glm's start, tolerance
 * 1e-8), clipped at 1 − 1e-6 as DRDID; `keep` is its trimming indicator and `rep` the representation
 * w(D − p)·x_i' (X'WX)⁻¹ n with W = p(1 − p)w at the final scores.
 */
export function logitRep(x: readonly Float64Array[], d: Float64Array, w: Float64Array): Fit<{ ps: Float64Array; maxRaw: number; keep: Uint8Array; rep: Float64Array[] }> {
  const n = d.length;
  const k = x.length;
  const fit = logitFit(x, d, { weights: w, tol: 1e-8 });
  if (fit.dropped.length > 0 || fit.hessianSingular) return { ok: false, reason: 'singular propensity-score model' };
  let maxRaw = 0;
  for (let i = 0; i < n; i++) maxRaw = Math.max(maxRaw, fit.p[i]!);
  const ps = fit.p.map((p) => Math.min(p, 1 - 1e-6));
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = d[i] === 1 ? 1 : ps[i]! < TRIM_LEVEL ? 1 : 0;
  const wHess = Float64Array.from(ps, (p, i) => p * (1 - p) * w[i]!);
  const inv = invertSpd(weightedCross(x, wHess), k);
  if (!inv) return { ok: false, reason: 'singular propensity-score Hessian' };
  // (X'WX)⁻¹ n = (X'WX/n)⁻¹, the form representation() takes
  for (let j = 0; j < k * k; j++) inv[j]! *= n;
  return { ok: true, ps, maxRaw, keep, rep: representation(x, inv, 1, (i) => w[i]! * (d[i]! - ps[i]!)) };
}

/** Columns a of score_i · x_i' · inv · scale (inv row-major k x k). */
function representation(x: readonly Float64Array[], inv: Float64Array, scale: number, score: (i: number) => number): Float64Array[] {
  const k = x.length;
  const n = x[0]!.length;
  const rep = Array.from({ length: k }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const s = score(i);
    if (s === 0) continue;
    for (let a = 0; a < k; a++) {
      let v = 0;
      for (let b = 0; b < k; b++) v += x[b]![i]! * inv[b * k + a]!;
      rep[a]![i] = s * v * scale;
    }
  }
  return rep;
}

/** rep · m per row (the representation applied to a k-vector of derivatives). */
export function applyRep(rep: readonly Float64Array[], m: ArrayLike<number>): Float64Array {
  const n = rep[0]!.length;
  const out = new Float64Array(n);
  for (let a = 0; a < rep.length; a++) {
    const ra = rep[a]!;
    const ma = m[a]!;
    if (ma === 0) continue;
    for (let i = 0; i < n; i++) out[i]! += ra[i]! * ma;
  }
  return out;
}

/** colMeans(v ∘ x) / scale: the derivative vectors of DRDID (k entries). */
export function colMeans(x: readonly Float64Array[], v: ArrayLike<number>, scale = 1): Float64Array {
  const n = v.length;
  return Float64Array.from(x, (xa) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i]! * xa[i]!;
    return s / n / scale;
  });
}
