import { logitRep, olsRep as outcomeRegression, TRIM_LEVEL } from './nuisance.js';

export type EstMethod = 'dr' | 'ipw' | 'reg';

/** Input of one 2x2 panel DID: n1 units of the treated cohort (d = 1) and its comparison group. */
export interface TwoByTwoInput {
  readonly deltaY: Float64Array;
  readonly d: Float64Array;
  /** Columns of the design, the first being the intercept. */
  readonly x: readonly Float64Array[];
  /** Sampling weights (any positive scale; normalised to mean 1 here, as DRDID does). */
  readonly w: Float64Array;
}

export type TwoByTwoResult =
  | { readonly ok: true; readonly att: number; readonly inf: Float64Array }
  | { readonly ok: false; readonly reason: string };

/**
 * ATT and its influence function (per unit of the 2x2 sample, not yet rescaled) for panel data,
 * mirroring DRDID's reg_did_panel, std_ipw_did_panel and drdid_panel (Sant'Anna & Zhao 2020).
 */
export function twoByTwo(method: EstMethod, input: TwoByTwoInput): TwoByTwoResult {
  const { deltaY, d, x } = input;
  const n = d.length;
  const k = x.length;
  const w = normaliseWeights(input.w);
  let nTreated = 0;
  for (let i = 0; i < n; i++) nTreated += d[i]!;
  if (nTreated === 0) return { ok: false, reason: 'no treated units' };
  if (nTreated === n) return { ok: false, reason: 'no comparison units' };

  // Outcome regression among comparison units (reg, dr)
  let outDelta: Float64Array | null = null;
  let olsRep: Float64Array[] | null = null; // asymptotic linear representation of the OLS coef, k columns
  if (method !== 'ipw') {
    const ols = outcomeRegression(x, deltaY, w, Float64Array.from(d, (v) => 1 - v), 'comparison units');
    if (!ols.ok) return ols;
    outDelta = ols.fitted;
    olsRep = ols.rep;
  }

  if (method === 'reg') {
    // w.treat = w.cont = w D
    let sw = 0;
    let sTreat = 0;
    let sCont = 0;
    for (let i = 0; i < n; i++) {
      const wt = w[i]! * d[i]!;
      sw += wt;
      sTreat += wt * deltaY[i]!;
      sCont += wt * outDelta![i]!;
    }
    const meanW = sw / n;
    const etaTreat = sTreat / sw;
    const etaCont = sCont / sw;
    const m1 = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i]! * d[i]! * x[a]![i]!;
      m1[a] = s / n;
    }
    const inf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const wt = w[i]! * d[i]!;
      const infTreat = (wt * deltaY[i]! - wt * etaTreat) / meanW;
      let cont2 = 0;
      for (let a = 0; a < k; a++) cont2 += olsRep![a]![i]! * m1[a]!;
      const infCont = (wt * outDelta![i]! - wt * etaCont + cont2) / meanW;
      inf[i] = infTreat - infCont;
    }
    return { ok: true, att: etaTreat - etaCont, inf };
  }

  // Propensity score (ipw, dr)
  const psFit = logitRep(x, d, w);
  if (!psFit.ok) return psFit;
  // did's preliminary check on the panel 2x2 (not on repeated cross-sections)
  if (psFit.maxRaw >= 0.999) return { ok: false, reason: 'propensity scores close to 1 (overlap violated)' };
  const { ps, rep: psRep } = psFit;
  const wTreat = new Float64Array(n);
  const wCont = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!psFit.keep[i]) continue;
    wTreat[i] = w[i]! * d[i]!;
    wCont[i] = (w[i]! * ps[i]! * (1 - d[i]!)) / (1 - ps[i]!);
  }
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) resid[i] = deltaY[i]! - (outDelta ? outDelta[i]! : 0);
  let swT = 0, swC = 0, sT = 0, sC = 0;
  for (let i = 0; i < n; i++) {
    swT += wTreat[i]!;
    swC += wCont[i]!;
    sT += wTreat[i]! * resid[i]!;
    sC += wCont[i]! * resid[i]!;
  }
  if (!(swC > 0)) return { ok: false, reason: 'all comparison units trimmed' };
  const etaTreat = sT / swT;
  const etaCont = sC / swC;
  const meanWT = swT / n;
  const meanWC = swC / n;
  const m2 = new Float64Array(k);
  const m1 = new Float64Array(k);
  const m3 = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s2 = 0, s1 = 0, s3 = 0;
    const xa = x[a]!;
    for (let i = 0; i < n; i++) {
      s2 += wCont[i]! * (resid[i]! - etaCont) * xa[i]!;
      s1 += wTreat[i]! * xa[i]!;
      s3 += wCont[i]! * xa[i]!;
    }
    m2[a] = s2 / n;
    m1[a] = s1 / n;
    m3[a] = s3 / n;
  }
  const inf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let treat2 = 0, cont2 = 0, cont3 = 0;
    for (let a = 0; a < k; a++) {
      cont2 += psRep[a]![i]! * m2[a]!;
      if (olsRep) {
        treat2 += olsRep[a]![i]! * m1[a]!;
        cont3 += olsRep[a]![i]! * m3[a]!;
      }
    }
    const infTreat = (wTreat[i]! * resid[i]! - wTreat[i]! * etaTreat - treat2) / meanWT;
    const infCont = (wCont[i]! * resid[i]! - wCont[i]! * etaCont + cont2 - cont3) / meanWC;
    inf[i] = infTreat - infCont;
  }
  return { ok: true, att: etaTreat - etaCont, inf };
}

function normaliseWeights(w: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]!;
  const m = s / w.length;
  return w.map((v) => v / m);
}

/** Contiguous units [start, end) of a 2x2 cell, all treated or all comparison. */
export interface CellRange {
  readonly start: number;
  readonly end: number;
  readonly treated: boolean;
}

/**
 * The 2x2 without covariates, straight into the full-panel influence vector: with only an
 * intercept, reg, ipw and dr all reduce to the difference of weighted mean changes, and their
 * influence functions to n w D (dY - eta1)/sum(wD) - n w (1-D)(dY - eta0)/sum(w(1-D)) (the
 * n/n1 rescaling of did included). Only the cell's ranges are written (out starts zeroed).
 * Returns null when DRDID's propensity trimming could bind (then the general path runs).
 */
export function noCovariateCell(
  method: EstMethod,
  yt: Float64Array,
  yb: Float64Array,
  ranges: readonly CellRange[],
  w: Float64Array,
  out: Float64Array,
  n: number,
): TwoByTwoResult | null {
  let sw1 = 0, sw0 = 0, s1 = 0, s0 = 0;
  for (const r of ranges) {
    let sw = 0, sy = 0;
    for (let i = r.start; i < r.end; i++) {
      const wi = w[i]!;
      sw += wi;
      sy += wi * (yt[i]! - yb[i]!);
    }
    if (r.treated) ((sw1 += sw), (s1 += sy));
    else ((sw0 += sw), (s0 += sy));
  }
  if (sw1 === 0) return { ok: false, reason: 'no treated units' };
  if (sw0 === 0) return { ok: false, reason: 'no comparison units' };
  if (method !== 'reg' && sw1 / (sw1 + sw0) >= TRIM_LEVEL) return null;
  const eta1 = s1 / sw1;
  const eta0 = s0 / sw0;
  for (const r of ranges) {
    const a = r.treated ? n / sw1 : -n / sw0;
    const eta = r.treated ? eta1 : eta0;
    for (let i = r.start; i < r.end; i++) out[i] = a * w[i]! * (yt[i]! - yb[i]! - eta);
  }
  return { ok: true, att: eta1 - eta0, inf: out };
}
