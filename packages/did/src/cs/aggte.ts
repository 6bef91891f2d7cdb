import { qnorm } from '../internal/stats.js';
import type { GroupTimeResult } from './att-gt.js';
import { hidden, influenceSe, payloadOf, type BootstrapInfo, type InfluenceMatrix, type InfluencePayload } from './influence.js';

export type AggregationType = 'simple' | 'group' | 'dynamic' | 'calendar';

export interface AggteOptions {
  readonly type: AggregationType;
  /** dynamic: keep event times e >= minE and e <= maxE; maxE also limits post cells in simple/group. */
  readonly minE?: number;
  readonly maxE?: number;
  /** dynamic: keep only cohorts observed for event times 0..balanceE. */
  readonly balanceE?: number | null;
  /** Drop NA cells instead of failing (did's na.rm). */
  readonly naRm?: boolean;
  readonly alpha?: number;
}

/** An aggregation of ATT(g,t): overall effect plus (except simple) the per-group/event/time effects. */
export interface AggteResult extends InfluenceMatrix {
  readonly kind: 'aggte';
  readonly type: AggregationType;
  readonly spec: { readonly type: AggregationType; readonly minE: number; readonly maxE: number; readonly balanceE: number | null; readonly naRm: boolean; readonly alpha: number };
  readonly attGtSpec: GroupTimeResult['spec'];
  readonly overallAtt: number;
  readonly overallSe: number;
  /** Labels of the per-parameter effects: cohorts (group), event times (dynamic), periods (calendar); empty for simple. */
  readonly egt: readonly number[];
  readonly attEgt: readonly number[];
  readonly seEgt: readonly number[];
  readonly critValEgt: number;
  readonly n: number;
  readonly bootstrap: BootstrapInfo | null;
  readonly warnings: readonly string[];
  readonly meta: { readonly backend: string; readonly precision: 64 };
}

/**
 * did::aggte as pure linear algebra on the stored influence functions: each aggregated
 * parameter's influence function is a weighted sum of ATT(g,t) influence functions plus the
 * term for estimated cohort shares (wif).
 */
export function aggte(result: GroupTimeResult, options: AggteOptions): AggteResult {
  const type = options.type;
  if (!['simple', 'group', 'dynamic', 'calendar'].includes(type)) {
    throw new Error(`aggte: option type must be 'simple', 'group', 'dynamic' or 'calendar', got '${String(type)}'`);
  }
  const minE = options.minE ?? -Infinity;
  const maxE = options.maxE ?? Infinity;
  const balanceE = options.balanceE ?? null;
  const naRm = options.naRm ?? false;
  const alpha = options.alpha ?? result.spec.alpha;
  const payload = payloadOf(result, 'aggte');
  const { inf, unitCohort: G, unitWeights: W, clusterCodes } = payload;
  const n = result.n;
  const warnings: string[] = [];

  let cells = result.att.map((_, k) => k);
  if (cells.some((k) => Number.isNaN(result.att[k]!))) {
    if (!naRm) throw new Error('aggte: some ATT(g,t) are NA; set option naRm: true to drop them');
    cells = cells.filter((k) => !Number.isNaN(result.att[k]!));
    if (type === 'group') {
      // keep only cohorts with no missing post-treatment cell
      const bad = new Set(cells.length ? result.group.filter((g, k) => Number.isNaN(result.att[k]!) && g <= result.time[k]!) : []);
      cells = cells.filter((k) => !bad.has(result.group[k]!));
    }
    warnings.push(`${result.att.length - cells.length} NA cell(s) dropped (naRm)`);
  }
  const group = cells.map((k) => result.group[k]!);
  const time = cells.map((k) => result.time[k]!);
  const att = cells.map((k) => result.att[k]!);
  const col = (j: number): Float64Array => inf.subarray(cells[j]! * n, (cells[j]! + 1) * n);
  const glist = [...new Set(group)].sort((a, b) => a - b);
  const pgOf = new Map<number, number>();
  for (const g of glist) {
    let s = 0;
    for (let i = 0; i < n; i++) if (G[i] === g) s += W[i]!;
    pgOf.set(g, s / n);
  }
  const pg = group.map((g) => pgOf.get(g)!);

  /** Influence function of sum_j w_j ATT_j (+ the wif term) over the chosen cells. */
  const combine = (which: number[], weights: number[], withWif: boolean): Float64Array => {
    const out = new Float64Array(n);
    which.forEach((j, m) => {
      const c = col(j);
      const w = weights[m]!;
      for (let i = 0; i < n; i++) out[i]! += w * c[i]!;
    });
    if (withWif) addWif(out, which.map((j) => group[j]!), which.map((j) => pg[j]!), which.map((j) => att[j]!), G, W);
    return out;
  };
  const normalised = (which: number[]): number[] => {
    const s = which.reduce((a, j) => a + pg[j]!, 0);
    return which.map((j) => pg[j]! / s);
  };
  const weightedAtt = (which: number[], w: number[]): number => which.reduce((a, j, m) => a + w[m]! * att[j]!, 0);

  let overallAtt: number;
  let overallInf: Float64Array;
  let egt: number[] = [];
  let attEgt: number[] = [];
  let egtInf: Float64Array[] = [];
  const idx = att.map((_, j) => j);

  if (type === 'simple') {
    const keepers = idx.filter((j) => group[j]! <= time[j]! && time[j]! <= group[j]! + maxE);
    const w = normalised(keepers);
    overallAtt = keepers.length ? weightedAtt(keepers, w) : Number.NaN;
    overallInf = combine(keepers, w, true);
  } else if (type === 'group') {
    egt = glist;
    for (const g of glist) {
      const which = idx.filter((j) => group[j] === g && g <= time[j]! && time[j]! <= group[j]! + maxE);
      const w = which.map(() => 1 / which.length);
      attEgt.push(which.length ? weightedAtt(which, w) : Number.NaN);
      egtInf.push(combine(which, w, false));
    }
    // overall: cohort-share weighted mean of theta(g), accounting for estimated shares
    const pgg = glist.map((g) => pgOf.get(g)!);
    const s = pgg.reduce((a, b) => a + b, 0);
    overallAtt = attEgt.reduce((a, v, m) => a + (v * pgg[m]!) / s, 0);
    overallInf = new Float64Array(n);
    egtInf.forEach((c, m) => {
      for (let i = 0; i < n; i++) overallInf[i]! += (pgg[m]! / s) * c[i]!;
    });
    addWif(overallInf, glist, pgg, attEgt, G, W);
  } else if (type === 'dynamic') {
    const e = idx.map((j) => time[j]! - group[j]!);
    let include = idx.map(() => true);
    let eseq = [...new Set(e)].sort((a, b) => a - b);
    if (balanceE !== null) {
      const maxT = Math.max(...time);
      const minGT = Math.min(...result.periods, ...glist);
      include = idx.map((j) => maxT - group[j]! >= balanceE);
      eseq = [...new Set(idx.filter((j) => include[j]).map((j) => e[j]!))].sort((a, b) => a - b);
      eseq = eseq.filter((v) => v <= balanceE && v >= balanceE - maxT + minGT);
    }
    eseq = eseq.filter((v) => v >= minE && v <= maxE);
    egt = eseq;
    for (const ev of eseq) {
      const which = idx.filter((j) => e[j] === ev && include[j]);
      const w = normalised(which);
      attEgt.push(weightedAtt(which, w));
      egtInf.push(combine(which, w, true));
    }
    const pos = eseq.map((v, m) => (v >= 0 ? m : -1)).filter((m) => m >= 0);
    overallAtt = pos.length ? pos.reduce((a, m) => a + attEgt[m]!, 0) / pos.length : Number.NaN;
    overallInf = new Float64Array(n);
    for (const m of pos) for (let i = 0; i < n; i++) overallInf[i]! += egtInf[m]![i]! / pos.length;
  } else {
    const minG = Math.min(...group);
    const tlist = [...new Set(time)].sort((a, b) => a - b).filter((t) => t >= minG);
    egt = tlist;
    for (const t1 of tlist) {
      const which = idx.filter((j) => time[j] === t1 && group[j]! <= time[j]!);
      const w = normalised(which);
      attEgt.push(weightedAtt(which, w));
      egtInf.push(combine(which, w, true));
    }
    overallAtt = attEgt.reduce((a, b) => a + b, 0) / attEgt.length;
    overallInf = new Float64Array(n);
    for (const c of egtInf) for (let i = 0; i < n; i++) overallInf[i]! += c[i]! / egtInf.length;
  }

  const K = egtInf.length + 1;
  const all = new Float64Array(n * K);
  egtInf.forEach((c, m) => all.set(c, m * n));
  all.set(overallInf, egtInf.length * n);
  const se = influenceSe(all, n, K, clusterCodes);
  const out = {
    kind: 'aggte' as const,
    type,
    spec: Object.freeze({ type, minE, maxE, balanceE, naRm, alpha }),
    attGtSpec: result.spec,
    overallAtt,
    overallSe: se[K - 1]!,
    egt: Object.freeze(egt),
    attEgt: Object.freeze(attEgt),
    seEgt: Object.freeze(se.slice(0, K - 1)),
    critValEgt: qnorm(1 - alpha / 2),
    n,
    bootstrap: null,
    warnings: Object.freeze(warnings),
    meta: result.meta,
  };
  const pl: InfluencePayload = { ...payload, inf: all, infCols: K, unitCohort: G, unitWeights: W, clusterCodes };
  hidden(out, pl);
  return Object.freeze(out) as AggteResult;
}

/**
 * Adds wif %*% att to out: the influence of estimating the cohort shares pg in weights of the
 * form pg_k / sum(pg) (did's wif()). O(n): per unit only the keepers of its own cohort enter.
 */
function addWif(out: Float64Array, groups: number[], pg: number[], att: number[], G: Float64Array, W: Float64Array): void {
  const s = pg.reduce((a, b) => a + b, 0);
  if (!(s > 0)) return;
  let sumPgAtt = 0;
  let sumPg = 0;
  const attByGroup = new Map<number, number>();
  const countByGroup = new Map<number, number>();
  for (let k = 0; k < groups.length; k++) {
    sumPgAtt += pg[k]! * att[k]!;
    sumPg += pg[k]!;
    attByGroup.set(groups[k]!, (attByGroup.get(groups[k]!) ?? 0) + att[k]!);
    countByGroup.set(groups[k]!, (countByGroup.get(groups[k]!) ?? 0) + 1);
  }
  const c2 = sumPgAtt / (s * s);
  // units outside every keeper cohort share one value
  const base = -sumPgAtt / s + sumPg * c2;
  let lastG = Number.NaN;
  let a = 0;
  let c = 0;
  for (let i = 0; i < G.length; i++) {
    const gi = G[i]!;
    if (gi !== lastG) {
      lastG = gi;
      a = attByGroup.get(gi) ?? 0;
      c = countByGroup.get(gi) ?? 0;
    }
    out[i]! += c === 0 ? base : (W[i]! * a) / s - W[i]! * c * c2 + base;
  }
}
