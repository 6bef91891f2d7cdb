/**
 * The 2x2 DID on repeated cross-sections (and did's unbalanced panels, which use them): ATT and its
 * influence function per row, mirroring DRDID's reg_did_rc, std_ipw_did_rc and drdid_rc (Sant'Anna
 * & Zhao 2020, the locally efficient DR estimator).
 */
import { applyRep, colMeans, logitRep, olsRep } from './nuisance.js';
import type { EstMethod, TwoByTwoResult } from './two-by-two.js';

/** One row per observation of the two periods: the treated cohort (d = 1) and its comparison group. */
export interface TwoByTwoRcInput {
  readonly y: Float64Array;
  /** 1 in the later (current) period t, 0 in the base period. */
  readonly post: Float64Array;
  readonly d: Float64Array;
  /** Columns of the design, the first being the intercept. */
  readonly x: readonly Float64Array[];
  /** Sampling weights (normalised to mean 1 here, as DRDID does). */
  readonly w: Float64Array;
}

/** A weighted mean component: estimate Σw v / Σw and its influence w(v − estimate)/mean(w). */
interface Component {
  readonly est: number;
  readonly meanW: number;
  readonly inf: Float64Array;
}

function component(w: Float64Array, v: (i: number) => number): Component {
  const n = w.length;
  let sw = 0;
  let swv = 0;
  for (let i = 0; i < n; i++) {
    if (w[i] === 0) continue;
    sw += w[i]!;
    swv += w[i]! * v(i);
  }
  const est = swv / sw;
  const meanW = sw / n;
  const inf = new Float64Array(n);
  for (let i = 0; i < n; i++) if (w[i] !== 0) inf[i] = (w[i]! * (v(i) - est)) / meanW;
  return { est, meanW, inf };
}

const masked = (w: Float64Array, f: (i: number) => number): Float64Array => Float64Array.from(w, (v, i) => v * f(i));

export function twoByTwoRc(method: EstMethod, input: TwoByTwoRcInput): TwoByTwoResult {
  const { y, post, d, x } = input;
  const n = y.length;
  let s = 0;
  for (const v of input.w) s += v;
  const w = input.w.map((v) => (v * n) / s);
  const res = method === 'reg' ? regRc(y, post, d, x, w) : method === 'ipw' ? ipwRc(y, post, d, x, w) : drRc(y, post, d, x, w);
  if (res.ok && !Number.isFinite(res.att)) return { ok: false, reason: 'ATT is not finite (every comparison observation trimmed?)' };
  return res;
}

function regRc(y: Float64Array, post: Float64Array, d: Float64Array, x: readonly Float64Array[], w: Float64Array): TwoByTwoResult {
  const pre = olsRep(x, y, w, Float64Array.from(d, (di, i) => (1 - di) * (1 - post[i]!)), 'comparison observations of the base period');
  if (!pre.ok) return pre;
  const pst = olsRep(x, y, w, Float64Array.from(d, (di, i) => (1 - di) * post[i]!), 'comparison observations of the current period');
  if (!pst.ok) return pst;
  const treatPre = component(masked(w, (i) => d[i]! * (1 - post[i]!)), (i) => y[i]!);
  const treatPost = component(masked(w, (i) => d[i]! * post[i]!), (i) => y[i]!);
  const wCont = masked(w, (i) => d[i]!);
  const cont = component(wCont, (i) => pst.fitted[i]! - pre.fitted[i]!);
  // estimation effect of the two comparison regressions, through M1 = colMeans(w D x)
  const m1 = colMeans(x, wCont, cont.meanW);
  const orPost = applyRep(pst.rep, m1);
  const orPre = applyRep(pre.rep, m1);
  const inf = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) inf[i] = treatPost.inf[i]! - treatPre.inf[i]! - (cont.inf[i]! + orPost[i]! - orPre[i]!);
  return { ok: true, att: treatPost.est - treatPre.est - cont.est, inf };
}

/** Trimmed IPW weights of the four cells (treated pre/post, comparison pre/post). */
function ipwWeights(post: Float64Array, d: Float64Array, w: Float64Array, ps: Float64Array, keep: Uint8Array) {
  const odds = (i: number) => (keep[i]! * ps[i]! * (1 - d[i]!)) / (1 - ps[i]!);
  return {
    treatPre: masked(w, (i) => keep[i]! * d[i]! * (1 - post[i]!)),
    treatPost: masked(w, (i) => keep[i]! * d[i]! * post[i]!),
    contPre: masked(w, (i) => odds(i) * (1 - post[i]!)),
    contPost: masked(w, (i) => odds(i) * post[i]!),
  };
}

function ipwRc(y: Float64Array, post: Float64Array, d: Float64Array, x: readonly Float64Array[], w: Float64Array): TwoByTwoResult {
  const psFit = logitRep(x, d, w);
  if (!psFit.ok) return psFit;
  const wt = ipwWeights(post, d, w, psFit.ps, psFit.keep);
  const yi = (i: number) => y[i]!;
  const treatPre = component(wt.treatPre, yi);
  const treatPost = component(wt.treatPost, yi);
  const contPre = component(wt.contPre, yi);
  const contPost = component(wt.contPost, yi);
  // estimation effect of the propensity score
  const m2Pre = colMeans(x, Float64Array.from(wt.contPre, (v, i) => v * (y[i]! - contPre.est)), contPre.meanW);
  const m2Post = colMeans(x, Float64Array.from(wt.contPost, (v, i) => v * (y[i]! - contPost.est)), contPost.meanW);
  const psEffect = applyRep(psFit.rep, m2Post.map((v, a) => v - m2Pre[a]!));
  const inf = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    inf[i] = treatPost.inf[i]! - treatPre.inf[i]! - (contPost.inf[i]! - contPre.inf[i]! + psEffect[i]!);
  }
  return { ok: true, att: treatPost.est - treatPre.est - (contPost.est - contPre.est), inf };
}

function drRc(y: Float64Array, post: Float64Array, d: Float64Array, x: readonly Float64Array[], w: Float64Array): TwoByTwoResult {
  const n = y.length;
  const psFit = logitRep(x, d, w);
  if (!psFit.ok) return psFit;
  const cell = (dv: number, pv: number) => Float64Array.from(d, (di, i) => (di === dv && post[i] === pv ? 1 : 0));
  const contPreFit = olsRep(x, y, w, cell(0, 0), 'comparison observations of the base period');
  if (!contPreFit.ok) return contPreFit;
  const contPostFit = olsRep(x, y, w, cell(0, 1), 'comparison observations of the current period');
  if (!contPostFit.ok) return contPostFit;
  const treatPreFit = olsRep(x, y, w, cell(1, 0), 'treated observations of the base period');
  if (!treatPreFit.ok) return treatPreFit;
  const treatPostFit = olsRep(x, y, w, cell(1, 1), 'treated observations of the current period');
  if (!treatPostFit.ok) return treatPostFit;
  const outCont = (i: number) => (post[i] === 1 ? contPostFit.fitted[i]! : contPreFit.fitted[i]!);
  const resid = (i: number) => y[i]! - outCont(i);
  const { keep } = psFit;
  const wt = ipwWeights(post, d, w, psFit.ps, keep);
  const wD = masked(w, (i) => keep[i]! * d[i]!);
  const treatPre = component(wt.treatPre, resid);
  const treatPost = component(wt.treatPost, resid);
  const contPre = component(wt.contPre, resid);
  const contPost = component(wt.contPost, resid);
  // the locally efficient adjustment: treated-minus-comparison regression gaps
  const gapPost = (i: number) => treatPostFit.fitted[i]! - contPostFit.fitted[i]!;
  const gapPre = (i: number) => treatPreFit.fitted[i]! - contPreFit.fitted[i]!;
  const dPost = component(wD, gapPost);
  const dt1Post = component(wt.treatPost, gapPost);
  const dPre = component(wD, gapPre);
  const dt0Pre = component(wt.treatPre, gapPre);
  const att = treatPost.est - treatPre.est - (contPost.est - contPre.est) + (dPost.est - dt1Post.est) - (dPre.est - dt0Pre.est);

  // estimation effects: comparison regressions on the treated and comparison terms (M1, M3), the
  // propensity score (M2), and all four regressions on the adjustment (mom)
  const neg = (v: Float64Array) => v.map((a) => -a);
  const m1Post = neg(colMeans(x, wt.treatPost, treatPost.meanW));
  const m1Pre = neg(colMeans(x, wt.treatPre, treatPre.meanW));
  const m3Post = neg(colMeans(x, wt.contPost, contPost.meanW));
  const m3Pre = neg(colMeans(x, wt.contPre, contPre.meanW));
  const m2Pre = colMeans(x, Float64Array.from(wt.contPre, (v, i) => v * (resid(i) - contPre.est)), contPre.meanW);
  const m2Post = colMeans(x, Float64Array.from(wt.contPost, (v, i) => v * (resid(i) - contPost.est)), contPost.meanW);
  const momPost = colMeans(x, Float64Array.from(wD, (v, i) => v / dPost.meanW - wt.treatPost[i]! / dt1Post.meanW));
  const momPre = colMeans(x, Float64Array.from(wD, (v, i) => v / dPre.meanW - wt.treatPre[i]! / dt0Pre.meanW));
  const treatOr = sum(applyRep(contPostFit.rep, m1Post), applyRep(contPreFit.rep, m1Pre));
  const contOr = sum(applyRep(contPostFit.rep, m3Post), applyRep(contPreFit.rep, m3Pre));
  const psEffect = applyRep(psFit.rep, m2Post.map((v, a) => v - m2Pre[a]!));
  const orPost = sum(applyRep(treatPostFit.rep, momPost), applyRep(contPostFit.rep, momPost), -1);
  const orPre = sum(applyRep(treatPreFit.rep, momPre), applyRep(contPreFit.rep, momPre), -1);
  const inf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const infTreat = treatPost.inf[i]! - treatPre.inf[i]! + treatOr[i]!;
    const infCont = contPost.inf[i]! - contPre.inf[i]! + psEffect[i]! + contOr[i]!;
    const infEff = dPost.inf[i]! - dt1Post.inf[i]! - (dPre.inf[i]! - dt0Pre.inf[i]!);
    inf[i] = infTreat - infCont + infEff + (orPost[i]! - orPre[i]!);
  }
  return { ok: true, att, inf };
}

/** a + sign·b elementwise. */
function sum(a: Float64Array, b: Float64Array, sign = 1): Float64Array {
  return a.map((v, i) => v + sign * b[i]!);
}
