/**
 * de Chaisemartin & D'Haultfoeuille (2024) dynamic effects, as R DIDmultiplegtDYN 2.2
 * (did_multiplegt_dyn) for a binary absorbing treatment:
 *   DID_ℓ = Σ_g N_g [(Y_{g,F_g-1+ℓ} − Y_{g,F_g-1}) − mean of the same long difference over groups
 *           not yet treated at F_g-1+ℓ] / Σ_g N_g,
 * placebo ℓ the same with Y_{g,F_g-1-ℓ} − Y_{g,F_g-1}; analytic SEs from the group influence
 * functions, recentred by cohort means with the package's degrees-of-freedom factor, clustered by
 * unit (default) or a coarser column; the average total effect and the joint tests.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { choleskyInverse, choleskyPivoted } from '@panel-lab/regression';
import { pchisqUpper } from '../internal/stats.js';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';
import { onGrid, unitGrid, unitLevelCodes, type UnitGrid } from './unit-grid.js';

export interface DidMultiplegtDynOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** Number of dynamic effects ℓ = 1..effects (default 1); trimmed to what the data identify. */
  readonly effects?: number;
  /** Number of placebos (default 0); trimmed to what the data identify. */
  readonly placebo?: number;
  /** Cell weights N_gt (a numeric column); default 1 per unit-period. */
  readonly weights?: string;
  /** Cluster column nesting units; default the unit. */
  readonly cluster?: string;
  readonly alpha?: number;
  /**
   * N of the average total effect: 'did_multiplegt_dyn' (default) counts the distinct (group, period)
   * cells used by any effect, as the package; 'sum_of_effects' adds the effects' N (a cell used by
   * several effects counts several times).
   */
  readonly averageTotalEffectN?: AverageTotalEffectN;
}

export type AverageTotalEffectN = 'did_multiplegt_dyn' | 'sum_of_effects';

export interface DidMultiplegtDynResult {
  readonly kind: 'did_multiplegt_dyn';
  readonly spec: {
    readonly outcome: string;
    readonly treatment: TreatmentSpec;
    readonly effectsRequested: number;
    readonly placeboRequested: number;
    readonly weights: string | null;
    readonly cluster: string;
    readonly alpha: number;
    readonly averageTotalEffectN: AverageTotalEffectN;
  };
  /** Effect_ℓ rows (eventTime ℓ-1, the period relative to adoption), n = cells used. */
  readonly effects: readonly RobustCoef[];
  /** Placebo_ℓ rows (eventTime -ℓ-1 with the previous period, -1, as the base). */
  readonly placebos: readonly RobustCoef[];
  /** Switching groups behind each effect and placebo. */
  readonly switchers: { readonly effects: readonly number[]; readonly placebos: readonly number[] };
  readonly averageTotalEffect: RobustCoef;
  /** Σ_ℓ ℓ·S_ℓ / Σ_ℓ S_ℓ (S_ℓ switching groups): average number of treated periods behind the average total effect. */
  readonly deltaDAvgTotal: number;
  readonly pJointEffects: number | null;
  readonly pJointPlacebo: number | null;
  /** Terms of vcov: Effect_1..Effect_L then Placebo_1..Placebo_P (did_multiplegt_dyn's coef$b order). */
  readonly vcovTerms: readonly string[];
  /**
   * Joint covariance of the effects and placebos from the cluster sums of their influence functions
   * (did_multiplegt_dyn's coef$vcov); its diagonal is the squared SEs. HonestDiD needs the
   * placebo-effect covariances.
   */
  readonly vcov: readonly (readonly number[])[];
  /** Units always treated in the sample (no switch to observe; they never enter a comparison). */
  readonly alwaysTreatedUnits: number;
  readonly nGroups: number;
  /** The conventions, in words, for table notes. */
  readonly notes: readonly string[];
  readonly meta: RobustMeta;
}

interface Part {
  readonly estimate: number;
  /** Per unit: the variance influence part, scaled so that SE = sqrt(Σ_c (Σ u_g)²) / N1. */
  readonly u: Float64Array;
  readonly n1: number;
  readonly cells: number;
  /** Per unit x period: 1 where the cell enters the estimate (switcher or comparison). */
  readonly used: Uint8Array;
  readonly switchers: number;
}

interface Prepared {
  readonly grid: UnitGrid;
  readonly y: Float64Array;
  readonly w: Float64Array;
  /** Per unit: first treated period index (nT = never in sample, -1 = always treated). */
  readonly F: Int32Array;
  /** Last period index with a not-yet-treated comparison group (T_g, common to all baseline-0 units). */
  readonly Tg: number;
}

/** DID_ℓ (placebo = false) or placebo ℓ on the grid. */
function component(p: Prepared, l: number, placebo: boolean): Part {
  const { grid, y, w, F, Tg } = p;
  const { nU, nT } = grid;
  const diffEff = (u: number, t: number) => (t - l >= 0 ? y[u * nT + t]! - y[u * nT + t - l]! : Number.NaN);
  const diffPl = (u: number, t: number) => (t - 2 * l >= 0 ? y[u * nT + t - 2 * l]! - y[u * nT + t - l]! : Number.NaN);
  const diff = placebo ? (u: number, t: number) => (Number.isFinite(diffEff(u, t)) ? diffPl(u, t) : Number.NaN) : diffEff;
  const ctrlN = new Float64Array(nT);
  const ctrlDof = new Float64Array(nT);
  const ctrlSum = new Float64Array(nT);
  const n1t = new Float64Array(nT);
  // not-yet-treated comparison cells (baseline-0 units only)
  for (let u = 0; u < nU; u++) {
    if (F[u]! < 0) continue;
    for (let t = l; t <= Tg; t++) {
      const d = diff(u, t);
      const wt = w[u * nT + t]!;
      if (!Number.isFinite(d) || !(wt > 0) || F[u]! <= t) continue;
      ctrlN[t]! += wt;
    }
  }
  // switchers ℓ periods after their switch (effect ℓ needs ℓ <= L_g = Tg - F + 1 and a comparison group)
  const isSwitcherCell = (u: number, t: number): boolean => {
    const f = F[u]!;
    return f >= 0 && f < nT && t === f - 1 + l && t <= Tg && ctrlN[t]! > 0 && Number.isFinite(diff(u, t)) && w[u * nT + t]! > 0;
  };
  const cohortN = new Map<number, number>();
  const cohortSum = new Map<number, number>();
  const cohortDof = new Map<number, number>();
  let switchers = 0;
  for (let u = 0; u < nU; u++) {
    const t = F[u]! - 1 + l;
    if (t < 0 || t >= nT || !isSwitcherCell(u, t)) continue;
    const wt = w[u * nT + t]!;
    n1t[t]! += wt;
    switchers++;
    const f = F[u]!;
    cohortN.set(f, (cohortN.get(f) ?? 0) + wt);
    cohortSum.set(f, (cohortSum.get(f) ?? 0) + wt * diff(u, t));
    cohortDof.set(f, (cohortDof.get(f) ?? 0) + 1);
  }
  let n1 = 0;
  for (let t = 0; t < nT; t++) n1 += n1t[t]!;
  if (n1 === 0) return { estimate: Number.NaN, u: new Float64Array(nU), n1: 0, cells: 0, used: new Uint8Array(nU * nT), switchers: 0 };
  // comparison-cell means and group counts, only where the period has switchers; plus the union of
  // switchers and comparison cells per period, used to recentre a cohort that has a single group
  const unionN = new Float64Array(nT);
  const unionSum = new Float64Array(nT);
  const unionDof = new Float64Array(nT);
  for (let u = 0; u < nU; u++) {
    if (F[u]! < 0) continue;
    for (let t = l; t <= Tg; t++) {
      const d = diff(u, t);
      const wt = w[u * nT + t]!;
      if (!Number.isFinite(d) || !(wt > 0)) continue;
      const ctrl = F[u]! > t && n1t[t]! > 0;
      if (ctrl) {
        ctrlSum[t]! += wt * d;
        ctrlDof[t]! += 1;
      }
      if (ctrl || isSwitcherCell(u, t)) {
        unionN[t]! += wt;
        unionSum[t]! += wt * d;
        unionDof[t]! += 1;
      }
    }
  }
  const dofFactor = (dof: number) => (dof >= 2 ? Math.sqrt(dof / (dof - 1)) : 1);
  // DIDmultiplegtDYN >= 2.2: a cell whose cohort has one group is recentred on the union of switchers
  // and not-yet-switchers of its period (when that union has >= 2 groups), with that union's dof factor
  const recentre = (t: number, dof: number, mean: number): [number, number] => {
    if (dof >= 2) return [mean, dofFactor(dof)];
    if (unionDof[t]! >= 2) return [unionSum[t]! / unionN[t]!, dofFactor(unionDof[t]!)];
    return [0, 1];
  };
  let total = 0;
  let cells = 0;
  const used = new Uint8Array(nU * nT);
  const uVar = new Float64Array(nU);
  for (let u = 0; u < nU; u++) {
    if (F[u]! < 0) continue;
    let acc = 0;
    let accVar = 0;
    for (let t = l; t <= Tg; t++) {
      const d = diff(u, t);
      const wt = w[u * nT + t]!;
      if (!Number.isFinite(d) || !(wt > 0)) continue;
      if (isSwitcherCell(u, t)) {
        const f = F[u]!;
        const dof = cohortDof.get(f)!;
        const [mean, factor] = recentre(t, dof, cohortSum.get(f)! / cohortN.get(f)!);
        acc += wt * d;
        accVar += wt * factor * (d - mean);
        cells++;
        used[u * nT + t] = 1;
      } else if (F[u]! > t && n1t[t]! > 0) {
        const c = n1t[t]! / ctrlN[t]!;
        const dof = ctrlDof[t]!;
        const [mean, factor] = recentre(t, dof, ctrlSum[t]! / ctrlN[t]!);
        acc -= c * wt * d;
        accVar -= c * wt * factor * (d - mean);
        cells++;
        used[u * nT + t] = 1;
      }
    }
    total += acc;
    uVar[u] = accVar;
  }
  return { estimate: total / n1, u: uVar, n1, cells, used, switchers };
}

/** Cells used by at least one of the parts (the package's N of the average total effect). */
function distinctCells(parts: readonly Part[]): number {
  let count = 0;
  const n = parts[0]!.used.length;
  for (let c = 0; c < n; c++) if (parts.some((p) => p.used[c] === 1)) count++;
  return count;
}

/** Σ_c (Σ_{g∈c} a_g)(Σ_{g∈c} b_g) over clusters. */
function clusterCross(a: Float64Array, b: Float64Array, cl: Int32Array, nC: number): number {
  const sa = new Float64Array(nC);
  const sb = new Float64Array(nC);
  for (let g = 0; g < a.length; g++) {
    sa[cl[g]!]! += a[g]!;
    sb[cl[g]!]! += b[g]!;
  }
  let s = 0;
  for (let c = 0; c < nC; c++) s += sa[c]! * sb[c]!;
  return s;
}

/**
 * Covariance of the parts' estimates: Σ_c (Σ_{g∈c} u_ig)(Σ_{g∈c} u_jg) / (N1_i N1_j), one pass of
 * cluster sums per part (as did_multiplegt_dyn's (Var(U_i + U_j) - se_i² - se_j²) / 2).
 */
function partsVcov(parts: readonly Part[], cl: Int32Array, nC: number): number[][] {
  const sums = parts.map((p) => {
    const s = new Float64Array(nC);
    for (let g = 0; g < p.u.length; g++) s[cl[g]!]! += p.u[g]!;
    return s;
  });
  const k = parts.length;
  const V = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) {
    let acc = 0;
    const a = sums[i]!, b = sums[j]!;
    for (let c = 0; c < nC; c++) acc += a[c]! * b[c]!;
    V[i]![j] = V[j]![i] = acc / (parts[i]!.n1 * parts[j]!.n1);
  }
  return V;
}

/** Joint chi² test that all estimates are zero, with covariances from the influence parts. */
function jointTest(parts: readonly Part[], cl: Int32Array, nC: number): number | null {
  const k = parts.length;
  if (k < 2) return null;
  const V = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) {
    const v = clusterCross(parts[i]!.u, parts[j]!.u, cl, nC) / (parts[i]!.n1 * parts[j]!.n1);
    V[i * k + j] = V[j * k + i] = v;
  }
  const ch = choleskyPivoted(V, k);
  if (ch.dropped.length) return null;
  const inv = choleskyInverse(ch.factor, k);
  let chi2 = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) chi2 += parts[i]!.estimate * inv[i * k + j]! * parts[j]!.estimate;
  return pchisqUpper(chi2, k);
}

export function didMultiplegtDyn(frame: PanelFrame, options: DidMultiplegtDynOptions): DidMultiplegtDynResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const ateN = options.averageTotalEffectN ?? 'did_multiplegt_dyn';
  if (ateN !== 'did_multiplegt_dyn' && ateN !== 'sum_of_effects') {
    throw new Error(`didMultiplegtDyn: option averageTotalEffectN must be 'did_multiplegt_dyn' or 'sum_of_effects', got '${String(ateN)}'`);
  }
  const effectsRequested = options.effects ?? 1;
  const placeboRequested = options.placebo ?? 0;
  if (!(Number.isInteger(effectsRequested) && effectsRequested >= 1)) throw new Error(`didMultiplegtDyn: option effects must be an integer >= 1, got ${effectsRequested}`);
  if (!(Number.isInteger(placeboRequested) && placeboRequested >= 0)) throw new Error(`didMultiplegtDyn: option placebo must be an integer >= 0, got ${placeboRequested}`);
  if (!frame.has(options.outcome)) throw new Error(`didMultiplegtDyn: outcome column '${options.outcome}' not found`);
  const setup = treatmentSetup(frame, options.treatment);
  const grid = unitGrid(frame);
  const { nU, nT, periods } = grid;
  const y = onGrid(grid, frame.numeric(options.outcome));
  let w: Float64Array;
  if (options.weights) {
    if (!frame.has(options.weights)) throw new Error(`didMultiplegtDyn: weights column '${options.weights}' not found`);
    w = onGrid(grid, frame.numeric(options.weights));
    for (let c = 0; c < w.length; c++) if (Number.isNaN(w[c]!) && grid.rowOf[c]! >= 0) w[c] = 0;
  } else {
    w = new Float64Array(nU * nT);
    for (let c = 0; c < w.length; c++) w[c] = grid.rowOf[c]! >= 0 ? 1 : 0;
  }
  // grid units and setup units share the frame's unit codes
  const F = new Int32Array(nU);
  let always = 0;
  for (let u = 0; u < nU; u++) {
    const g = setup.unitCohort[u]!;
    if (g === Number.POSITIVE_INFINITY) F[u] = nT;
    else if (g <= periods[0]!) (F[u] = -1), always++;
    else {
      let f = periods.findIndex((p) => p >= g);
      if (f < 0) f = nT;
      F[u] = f;
    }
  }
  let maxF = -1;
  for (let u = 0; u < nU; u++) if (F[u]! >= 0) maxF = Math.max(maxF, F[u]!);
  const Tg = Math.min(maxF, nT) - 1;
  const prepared: Prepared = { grid, y, w, F, Tg };

  const clusterName = options.cluster ?? frame.schema.unit;
  let cl: Int32Array;
  let nC: number;
  if (clusterName === frame.schema.unit) {
    cl = Int32Array.from({ length: nU }, (_, u) => u);
    nC = nU;
  } else {
    if (!frame.has(clusterName)) throw new Error(`didMultiplegtDyn: cluster column '${clusterName}' not found`);
    const codes = frame.codes(clusterName);
    cl = unitLevelCodes(grid, codes.codes, clusterName);
    nC = codes.levels.length;
  }
  const se = (p: Part) => Math.sqrt(clusterCross(p.u, p.u, cl, nC)) / p.n1;

  const effParts: Part[] = [];
  for (let l = 1; l <= effectsRequested; l++) {
    const part = component(prepared, l, false);
    if (part.n1 === 0) break;
    effParts.push(part);
  }
  if (effParts.length === 0) throw new Error('didMultiplegtDyn: no switcher has a not-yet-treated comparison group; nothing to estimate');
  const plParts: Part[] = [];
  for (let l = 1; l <= Math.min(placeboRequested, effParts.length); l++) {
    const part = component(prepared, l, true);
    if (part.n1 === 0) break;
    plParts.push(part);
  }
  const effects = effParts.map((p, i) => robustCoef(`Effect_${i + 1}`, p.estimate, se(p), { alpha, eventTime: i, n: p.cells }));
  const placebos = plParts.map((p, i) => robustCoef(`Placebo_${i + 1}`, p.estimate, se(p), { alpha, eventTime: -i - 2, n: p.cells }));

  // average total effect: effects weighted by their (weighted) switcher counts
  const n1Total = effParts.reduce((s, p) => s + p.n1, 0);
  const switchTotal = effParts.reduce((s, p) => s + p.switchers, 0);
  const uAte = new Float64Array(nU);
  let ate = 0;
  let delta = 0;
  effParts.forEach((p, i) => {
    const share = p.n1 / n1Total;
    ate += share * p.estimate;
    delta += ((i + 1) * p.switchers) / switchTotal; // R counts switching groups here, unweighted
    for (let g = 0; g < nU; g++) uAte[g]! += (share * p.u[g]!) / p.n1;
  });
  const seAte = Math.sqrt(clusterCross(uAte, uAte, cl, nC));
  const cellsAte = ateN === 'sum_of_effects' ? effParts.reduce((s, p) => s + p.cells, 0) : distinctCells(effParts);
  const notes = [
    `${100 * (1 - alpha)}% intervals and p-values from the normal distribution, SEs clustered by ${clusterName}, as did_multiplegt_dyn`,
    ateN === 'sum_of_effects'
      ? "N of Av_tot_eff: the sum of the effects' N (did_multiplegt_dyn counts each cell once)"
      : 'N of Av_tot_eff: the distinct (group, period) cells used by any effect, as did_multiplegt_dyn',
  ];
  const vcov = partsVcov([...effParts, ...plParts], cl, nC);
  return Object.freeze({
    kind: 'did_multiplegt_dyn' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, effectsRequested, placeboRequested, weights: options.weights ?? null, cluster: clusterName, alpha, averageTotalEffectN: ateN }),
    effects: Object.freeze(effects),
    placebos: Object.freeze(placebos),
    switchers: Object.freeze({ effects: Object.freeze(effParts.map((p) => p.switchers)), placebos: Object.freeze(plParts.map((p) => p.switchers)) }),
    averageTotalEffect: robustCoef('Av_tot_eff', ate, seAte, { alpha, n: cellsAte }),
    deltaDAvgTotal: delta,
    pJointEffects: jointTest(effParts, cl, nC),
    pJointPlacebo: jointTest(plParts, cl, nC),
    vcovTerms: Object.freeze([...effects.map((c) => c.term), ...placebos.map((c) => c.term)]),
    vcov: Object.freeze(vcov.map((row) => Object.freeze(row))),
    alwaysTreatedUnits: always,
    nGroups: nU,
    notes: Object.freeze(notes),
    meta: robustMeta(t0),
  });
}
