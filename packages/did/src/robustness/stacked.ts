/**
 * Stacked DID (Cengiz et al. 2019) with the corrective weights of Wing, Freedman & Hollingsworth
 * (2024): one clean sub-experiment per feasible cohort (treated cohort + never-treated and
 * not-yet-treated-by-the-window-end units, rows inside the event window), stacked, then
 * y ~ treat x post (or treat x event-time dummies) | unit^stack + time^stack, clustered by unit.
 * Weighted (WFH, default) estimates the trimmed aggregate ATT; unweighted is Cengiz.
 */
import { PanelFrame, type ColumnInput } from '@panel-lab/panel';
import { feols, modelSpec } from '@panel-lab/regression';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';

export interface StackedDidOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** Event window [−kappaPre, kappaPost] (default 4 and 2). */
  readonly kappaPre?: number;
  readonly kappaPost?: number;
  /** 'static' (default) or 'event_study' (reference event time −1). */
  readonly type?: 'static' | 'event_study';
  /** WFH corrective weights (default true); false = unweighted Cengiz stacking. */
  readonly weighted?: boolean;
  readonly controls?: readonly string[];
  /** Cluster column (default the unit, not unit x stack). */
  readonly cluster?: string;
  readonly alpha?: number;
}

export interface StackInfo {
  readonly stack: number;
  readonly treatedUnits: number;
  readonly controlUnits: number;
  readonly rows: number;
}

export interface StackedDidResult {
  readonly kind: 'stacked_did';
  readonly spec: { readonly outcome: string; readonly treatment: TreatmentSpec; readonly kappaPre: number; readonly kappaPost: number; readonly type: 'static' | 'event_study'; readonly weighted: boolean; readonly controls: readonly string[]; readonly cluster: string; readonly alpha: number };
  readonly coefs: readonly RobustCoef[];
  readonly stacks: readonly StackInfo[];
  /** Cohorts left out because the window does not fit in the sample (feasibility), and why. */
  readonly infeasibleCohorts: readonly number[];
  readonly nobs: number;
  /** Stacked rows dropped by the regression (missing outcome or control). */
  readonly nobsDropped: number;
  readonly nClusters: number;
  readonly meta: RobustMeta;
}

export function stackedDid(frame: PanelFrame, options: StackedDidOptions): StackedDidResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const kPre = options.kappaPre ?? 4;
  const kPost = options.kappaPost ?? 2;
  if (!(Number.isInteger(kPre) && kPre >= 1 && Number.isInteger(kPost) && kPost >= 0)) {
    throw new Error(`stackedDid: kappaPre must be an integer >= 1 and kappaPost an integer >= 0, got ${kPre} and ${kPost}`);
  }
  const type = options.type ?? 'static';
  const weighted = options.weighted ?? true;
  const controls = options.controls ?? [];
  const cluster = options.cluster ?? frame.schema.unit;
  for (const c of [options.outcome, cluster, ...controls]) if (!frame.has(c)) throw new Error(`stackedDid: column '${c}' not found`);
  const setup = treatmentSetup(frame, options.treatment);
  const time = frame.numeric(frame.schema.time);
  const tMin = setup.periods[0]!;
  const tMax = setup.periods[setup.periods.length - 1]!;
  const cohorts = [...new Set(Array.from(setup.unitCohort).filter(Number.isFinite))].sort((a, b) => a - b);
  const feasible = cohorts.filter((a) => a - kPre >= tMin && a + kPost <= tMax);
  const infeasible = cohorts.filter((a) => !feasible.includes(a));
  if (feasible.length === 0) throw new Error(`stackedDid: no cohort has the full window [-${kPre}, ${kPost}] inside ${tMin}..${tMax} (cohorts: ${cohorts.join(', ')})`);

  // rows of each sub-experiment
  const picks: { row: number; stack: number; treat: number; e: number }[] = [];
  const stacks: StackInfo[] = [];
  for (const a of feasible) {
    const tUnits = new Set<number>();
    const cUnits = new Set<number>();
    let rows = 0;
    for (let r = 0; r < setup.nRows; r++) {
      const t = time[r]!;
      if (t < a - kPre || t > a + kPost) continue;
      const u = setup.rowUnit[r]!;
      const g = setup.unitCohort[u]!;
      const treat = g === a ? 1 : g > a + kPost ? 0 : -1; // -1: neither the cohort nor a clean control
      if (treat < 0) continue;
      picks.push({ row: r, stack: a, treat, e: t - a });
      (treat ? tUnits : cUnits).add(u);
      rows++;
    }
    if (cUnits.size === 0) throw new Error(`stackedDid: cohort ${a} has no clean control unit (never treated or treated after ${a + kPost})`);
    stacks.push(Object.freeze({ stack: a, treatedUnits: tUnits.size, controlUnits: cUnits.size, rows }));
  }

  // WFH weights per event time: Q = (N^D_a,e / N^D_e) / (N^C_a,e / N^C_e); treated rows 1
  const key = (a: number, e: number) => `${a}|${e}`;
  const nD = new Map<string, number>();
  const nC = new Map<string, number>();
  const totD = new Map<number, number>();
  const totC = new Map<number, number>();
  for (const p of picks) {
    const m = p.treat ? nD : nC;
    m.set(key(p.stack, p.e), (m.get(key(p.stack, p.e)) ?? 0) + 1);
    const tot = p.treat ? totD : totC;
    tot.set(p.e, (tot.get(p.e) ?? 0) + 1);
  }
  const weight = picks.map((p) => {
    if (!weighted || p.treat) return 1;
    const d = (nD.get(key(p.stack, p.e)) ?? 0) / totD.get(p.e)!;
    const c = nC.get(key(p.stack, p.e))! / totC.get(p.e)!;
    return d / c;
  });

  // the stacked frame
  const y = frame.numeric(options.outcome);
  const nUnits = setup.nUnits;
  const stackIndex = new Map(feasible.map((a, i) => [a, i]));
  const clusterCodes = frame.codes(cluster).codes;
  const cols: Record<string, ColumnInput> = {
    y_: Float64Array.from(picks, (p) => y[p.row]!),
    unit_stack_: Float64Array.from(picks, (p) => stackIndex.get(p.stack)! * nUnits + setup.rowUnit[p.row]!),
    time_stack_: Float64Array.from(picks, (p) => stackIndex.get(p.stack)! * 100_000 + setup.rowPeriod[p.row]!),
    cluster_: Float64Array.from(picks, (p) => clusterCodes[p.row]!),
    w_: Float64Array.from(weight),
  };
  controls.forEach((c, j) => {
    const x = frame.numeric(c);
    cols[`x${j}_`] = Float64Array.from(picks, (p) => x[p.row]!);
  });
  const terms: string[] = [];
  const eventTimes: (number | null)[] = [];
  if (type === 'static') {
    cols['treat_post_'] = Float64Array.from(picks, (p) => (p.treat && p.e >= 0 ? 1 : 0));
    terms.push('treat_post_');
    eventTimes.push(null);
  } else {
    for (let e = -kPre; e <= kPost; e++) {
      if (e === -1) continue;
      const name = `treat_e${e < 0 ? 'm' : 'p'}${Math.abs(e)}_`;
      cols[name] = Float64Array.from(picks, (p) => (p.treat && p.e === e ? 1 : 0));
      terms.push(name);
      eventTimes.push(e);
    }
  }
  const stacked = PanelFrame.fromColumns(cols, { unit: 'unit_stack_', time: 'time_stack_' });
  const fit = feols(modelSpec({ lhs: 'y_', terms: [...terms, ...controls.map((_, j) => `x${j}_`)], fixef: ['unit_stack_', 'time_stack_'] }), stacked, {
    vcov: { cluster: ['cluster_'] },
    ...(weighted ? { weights: 'w_' } : {}),
  });
  const coefs = terms.map((t, k) => {
    const j = fit.coefNames.indexOf(t);
    if (j < 0) throw new Error(`stackedDid: ${t === 'treat_post_' ? 'treat x post' : `event time ${eventTimes[k]}`} is collinear with the stack fixed effects`);
    const term = eventTimes[k] === null ? 'treat_post' : `event_time::${eventTimes[k]}`;
    return robustCoef(term, fit.coefficients[j]!, fit.se[j]!, { alpha, df: fit.dof.t, eventTime: eventTimes[k] ?? null });
  });
  return Object.freeze({
    kind: 'stacked_did' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, kappaPre: kPre, kappaPost: kPost, type, weighted, controls: Object.freeze([...controls]), cluster, alpha }),
    coefs: Object.freeze(coefs),
    stacks: Object.freeze(stacks),
    infeasibleCohorts: Object.freeze(infeasible),
    nobs: fit.nobs,
    nobsDropped: fit.nobsDropped,
    nClusters: fit.nClusters['cluster_'] ?? Number.NaN,
    meta: robustMeta(t0),
  });
}
