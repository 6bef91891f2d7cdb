/**
 * Balance before (U) and after (M) matching, as Stata pstest / R cobalt: per covariate the means,
 * standardized bias, % reduction, t-test and variance ratio; overall pseudo-R² and LR χ² of the
 * logit re-fitted on each sample, mean/median |bias|, Rubin's B and R; and the data for the
 * score-density and common-support figures.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { pchisqUpper, ptTwoSided } from '../internal/stats.js';
import { covariateColumns } from './covariates.js';
import { logitFit } from '@panel-lab/regression';
import type { MatchResult } from './matching.js';
import type { PropensityResult } from './propensity.js';

export interface BalanceOptions {
  readonly covariates: readonly string[];
  /**
   * Denominator of the standardized bias: 'pooled' sqrt((s²_T + s²_C)/2) from the unmatched
   * sample in both rows (pstest, default), or 'treated' (the treated SD, MatchIt/cobalt for the ATT;
   * binary covariates use sqrt(p(1-p)) as cobalt does).
   */
  readonly denominator?: 'pooled' | 'treated';
}

export interface BalanceRow {
  readonly term: string;
  readonly meanTreatedU: number;
  readonly meanControlU: number;
  readonly meanTreatedM: number;
  readonly meanControlM: number;
  /** Standardized bias (a difference in SD units; multiply by 100 for pstest's %bias). */
  readonly stdDiffU: number;
  readonly stdDiffM: number;
  readonly reductionPct: number;
  readonly tU: number;
  readonly pU: number;
  readonly tM: number;
  readonly pM: number;
  readonly varRatioU: number;
  readonly varRatioM: number;
  /**
   * MatchIt summary()'s eCDF Mean / eCDF Max: mean and largest |F_T(u) - F_C(u)| of the weighted
   * empirical CDFs over the covariate's distinct values u (all units' values, the largest included);
   * for a binary covariate both are the absolute difference in proportions.
   */
  readonly ecdfMeanU: number;
  readonly ecdfMaxU: number;
  readonly ecdfMeanM: number;
  readonly ecdfMaxM: number;
  /**
   * MatchIt's Std. Pair Dist.: mean |x_treated - x_control| over the matched pairs, divided by the
   * standardized bias's denominator (as MatchIt, left raw when the matched mean difference is below
   * sqrt(machine epsilon) or the distance below 1e-8).
   */
  readonly stdPairDist: number;
}

export interface SampleSummary {
  readonly pseudoR2: number;
  readonly lrChi2: number;
  readonly lrP: number;
  readonly meanAbsBiasPct: number;
  readonly medianAbsBiasPct: number;
  /** Rubin's B (100 |standardized difference of the linear score|) and R (variance ratio). */
  readonly rubinB: number;
  readonly rubinR: number;
}

export interface DensitySeries {
  readonly group: 'treated' | 'control';
  readonly sample: 'unmatched' | 'matched';
  readonly x: readonly number[];
  readonly density: readonly number[];
}

export interface BalanceResult {
  readonly kind: 'balance_table';
  readonly spec: { readonly covariates: readonly string[]; readonly denominator: 'pooled' | 'treated' };
  readonly rows: readonly BalanceRow[];
  readonly unmatched: SampleSummary;
  readonly matched: SampleSummary;
  readonly plot: {
    readonly densities: readonly DensitySeries[];
    /** Common-support histogram: bin edges and counts of treated / controls (unmatched sample). */
    readonly support: { readonly edges: readonly number[]; readonly treated: readonly number[]; readonly control: readonly number[] };
  };
}

interface Moments {
  mean: number;
  variance: number;
  n: number;
}

function moments(x: ArrayLike<number>, w: ArrayLike<number>): Moments {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    sw += w[i]!;
    s += w[i]! * x[i]!;
  }
  const mean = s / sw;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += w[i]! * (x[i]! - mean) ** 2;
  return { mean, variance: ss / (sw - 1), n: sw };
}

/** Two-sample t (pooled variance) with frequency weights = WLS of x on D. */
function tTest(t: Moments, c: Moments): { t: number; p: number } {
  const df = t.n + c.n - 2;
  const sp = ((t.n - 1) * t.variance + (c.n - 1) * c.variance) / df;
  const stat = (t.mean - c.mean) / Math.sqrt(sp * (1 / t.n + 1 / c.n));
  return { t: stat, p: ptTwoSided(stat, df) };
}

/** Gaussian kernel density with R's bw.nrd0 bandwidth on a 64-point grid. */
export function kernelDensity(x: readonly number[], w?: readonly number[]): { x: number[]; density: number[] } {
  const vals: number[] = [];
  const wts: number[] = [];
  x.forEach((v, i) => {
    const wi = w ? w[i]! : 1;
    if (wi > 0) (vals.push(v), wts.push(wi));
  });
  const sw = wts.reduce((a, b) => a + b, 0);
  const m = moments(vals, wts);
  const sorted = [...vals].sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
  };
  const iqr = q(0.75) - q(0.25);
  const sd = Math.sqrt(m.variance);
  let lo = Math.min(sd, iqr / 1.34);
  if (!(lo > 0)) lo = sd || Math.abs(sorted[0]!) || 1;
  const bw = 0.9 * lo * sw ** -0.2;
  const a = sorted[0]! - 3 * bw;
  const b = sorted[sorted.length - 1]! + 3 * bw;
  const grid = Array.from({ length: 64 }, (_, k) => a + ((b - a) * k) / 63);
  const density = grid.map((g) => {
    let s = 0;
    for (let i = 0; i < vals.length; i++) s += wts[i]! * Math.exp(-0.5 * ((g - vals[i]!) / bw) ** 2);
    return s / (sw * bw * Math.sqrt(2 * Math.PI));
  });
  return { x: grid, density };
}

function summarize(biasPct: number[], lin: { t: Moments; c: Moments }, fit: { pseudoR2: number; lrChi2: number; df: number }): SampleSummary {
  const abs = biasPct.map(Math.abs).sort((a, b) => a - b);
  const mid = abs.length / 2;
  const median = abs.length % 2 ? abs[Math.floor(mid)]! : (abs[mid - 1]! + abs[mid]!) / 2;
  return Object.freeze({
    pseudoR2: fit.pseudoR2,
    lrChi2: fit.lrChi2,
    lrP: fit.df > 0 ? pchisqUpper(fit.lrChi2, fit.df) : Number.NaN,
    meanAbsBiasPct: abs.reduce((a, b) => a + b, 0) / abs.length,
    medianAbsBiasPct: median,
    rubinB: (100 * Math.abs(lin.t.mean - lin.c.mean)) / Math.sqrt((lin.t.variance + lin.c.variance) / 2),
    rubinR: lin.t.variance / lin.c.variance,
  });
}


/** Re-fits the score's logit on a (frequency-weighted) sample: pseudo-R² and LR χ². */
function refit(rowsX: Float64Array[], d: number[], w: number[]): { pseudoR2: number; lrChi2: number; df: number } {
  const idx: number[] = [];
  w.forEach((wi, i) => {
    for (let k = 0; k < Math.round(wi); k++) idx.push(i);
  });
  const y = Float64Array.from(idx, (i) => d[i]!);
  const x = [new Float64Array(idx.length).fill(1), ...rowsX.map((c) => Float64Array.from(idx, (i) => c[i]!))];
  const fit = logitFit(x, y);
  return { pseudoR2: 1 - fit.deviance / fit.nullDeviance, lrChi2: fit.nullDeviance - fit.deviance, df: x.length - 1 - fit.dropped.length };
}

/**
 * eCDF mean and max difference, as MatchIt's qqsum(standardize = TRUE): weights normalised within
 * group, values sorted (stable), |cumulative signed weight| read at the last of each run of ties.
 */
export function ecdfDiff(x: readonly number[], d: readonly (0 | 1)[], w: readonly number[]): { mean: number; max: number } {
  let sT = 0;
  let sC = 0;
  for (let i = 0; i < x.length; i++) (d[i] === 1 ? (sT += w[i]!) : (sC += w[i]!));
  const order = Array.from(x.keys()).sort((a, b) => x[a]! - x[b]! || a - b);
  let cum = 0;
  let sum = 0;
  let max = 0;
  let count = 0;
  order.forEach((i, k) => {
    cum += d[i] === 1 ? -w[i]! / sT : w[i]! / sC;
    const next = order[k + 1];
    if (next !== undefined && x[next]! - x[i]! === 0) return;
    const a = Math.abs(cum);
    sum += a;
    max = Math.max(max, a);
    count++;
  });
  return { mean: sum / count, max };
}

export function balanceTable(frame: PanelFrame, ps: PropensityResult, match: MatchResult, options: BalanceOptions): BalanceResult {
  const denominator = options.denominator ?? 'pooled';
  const cov = covariateColumns(frame, options.covariates, 'balanceTable');
  const rows = ps.rows;
  const d = ps.treated;
  const wM = match.weights;
  const one = rows.map(() => 1);
  const names = ['distance', ...cov.balance.names];
  const columns = [ps.scores, ...cov.balance.columns.map((c) => rows.map((r) => c[r]!))];
  const binary = [false, ...cov.balance.binary];
  const pos = new Map(rows.map((r, i) => [r, i]));
  const pairIdx = match.pairs.map((p) => [pos.get(p.treatedRow)!, pos.get(p.controlRow)!] as const);
  const out: BalanceRow[] = [];
  names.forEach((term, j) => {
    const x = columns[j]!;
    const split = (w: readonly number[]) => {
      const xt: number[] = [];
      const wt: number[] = [];
      const xc: number[] = [];
      const wc: number[] = [];
      x.forEach((v, i) => {
        if (w[i]! <= 0) return;
        if (d[i] === 1) (xt.push(v), wt.push(w[i]!));
        else (xc.push(v), wc.push(w[i]!));
      });
      return { t: moments(xt, wt), c: moments(xc, wc) };
    };
    const U = split(one);
    const M = split(wM);
    let den: number;
    if (denominator === 'pooled') den = Math.sqrt((U.t.variance + U.c.variance) / 2);
    else den = binary[j] ? Math.sqrt(U.t.mean * (1 - U.t.mean)) : Math.sqrt(U.t.variance);
    const sdU = (U.t.mean - U.c.mean) / den;
    const sdM = (M.t.mean - M.c.mean) / den;
    const tu = tTest(U.t, U.c);
    const tm = tTest(M.t, M.c);
    const ecdf = (w: readonly number[]) => {
      if (!binary[j]) return ecdfDiff(x, d, w);
      const s = split(w);
      const a = Math.abs(s.t.mean - s.c.mean);
      return { mean: a, max: a };
    };
    const eU = ecdf(one);
    const eM = ecdf(wM);
    let pd = 0;
    for (const [t, c] of pairIdx) pd += Math.abs(x[t]! - x[c]!);
    pd /= pairIdx.length;
    if (Math.abs(M.t.mean - M.c.mean) > Math.sqrt(Number.EPSILON) && Math.abs(pd) > 1e-8) pd /= den;
    out.push(
      Object.freeze({
        term,
        meanTreatedU: U.t.mean,
        meanControlU: U.c.mean,
        meanTreatedM: M.t.mean,
        meanControlM: M.c.mean,
        stdDiffU: sdU,
        stdDiffM: sdM,
        reductionPct: 100 * (1 - Math.abs(sdM) / Math.abs(sdU)),
        tU: tu.t,
        pU: tu.p,
        tM: tm.t,
        pM: tm.p,
        varRatioU: U.t.variance / U.c.variance,
        varRatioM: M.t.variance / M.c.variance,
        ecdfMeanU: eU.mean,
        ecdfMaxU: eU.max,
        ecdfMeanM: eM.mean,
        ecdfMaxM: eM.max,
        stdPairDist: pairIdx.length ? pd : Number.NaN,
      }),
    );
  });
  const modelCols = cov.model.columns.map((c) => Float64Array.from(rows, (r) => c[r]!));
  const dArr = [...d];
  const lin = (w: readonly number[]) => {
    const t: number[] = [];
    const tw: number[] = [];
    const c: number[] = [];
    const cw: number[] = [];
    ps.linear.forEach((v, i) => {
      if (w[i]! <= 0) return;
      if (d[i] === 1) (t.push(v), tw.push(w[i]!));
      else (c.push(v), cw.push(w[i]!));
    });
    return { t: moments(t, tw), c: moments(c, cw) };
  };
  const covBias = (key: 'stdDiffU' | 'stdDiffM') => out.slice(1).map((r) => 100 * r[key]);
  const dens = (group: 'treated' | 'control', sample: 'unmatched' | 'matched'): DensitySeries => {
    const sel = ps.scores.filter((_, i) => (group === 'treated') === (d[i] === 1));
    const w = sample === 'matched' ? wM.filter((_, i) => (group === 'treated') === (d[i] === 1)) : undefined;
    const k = kernelDensity(sel, w);
    return Object.freeze({ group, sample, x: Object.freeze(k.x), density: Object.freeze(k.density) });
  };
  const edges = Array.from({ length: 21 }, (_, k) => k / 20);
  const hist = (g: 0 | 1) => {
    const counts = new Array<number>(20).fill(0);
    ps.scores.forEach((s, i) => {
      if (d[i] === g) counts[Math.min(19, Math.floor(s * 20))]! += 1;
    });
    return Object.freeze(counts);
  };
  return Object.freeze({
    kind: 'balance_table' as const,
    spec: Object.freeze({ covariates: Object.freeze([...options.covariates]), denominator }),
    rows: Object.freeze(out),
    unmatched: summarize(covBias('stdDiffU'), lin(one), refit(modelCols, dArr, one)),
    matched: summarize(covBias('stdDiffM'), lin(wM), refit(modelCols, dArr, [...wM])),
    plot: Object.freeze({
      densities: Object.freeze([dens('treated', 'unmatched'), dens('control', 'unmatched'), dens('treated', 'matched'), dens('control', 'matched')]),
      support: Object.freeze({ edges: Object.freeze(edges), treated: hist(1), control: hist(0) }),
    }),
  });
}
