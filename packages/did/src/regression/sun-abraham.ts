import type { PanelFrame } from '@panel-lab/panel';
import { feols, modelSpec, type FeolsResult } from '@panel-lab/regression';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { invertSpd } from '../internal/dense.js';
import { pchisqUpper, pfUpper } from '../internal/stats.js';
import { eventCoef, type EventCoef } from './common.js';
import type { PretrendTest } from './event-study.js';
import { supTCritical, type SimultaneousOptions } from './sup-t.js';

export interface SunAbrahamOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** Excluded relative periods; default [-1] (fixest's ref.p). */
  readonly ref?: readonly number[];
  /** never (default): never-treated units; last: the last-treated cohort, periods from its adoption dropped. */
  readonly controlCohort?: 'never' | 'last';
  readonly controls?: readonly string[];
  readonly cluster?: readonly string[];
  readonly weights?: string;
  readonly alpha?: number;
  /** Uniform (sup-t) band over the per-period IW coefficients, drawn with this seed. Default none. */
  readonly simultaneous?: SimultaneousOptions;
}

export interface SunAbrahamResult {
  readonly kind: 'sun_abraham';
  readonly spec: {
    readonly outcome: string;
    readonly treatment: TreatmentSpec;
    readonly ref: readonly number[];
    readonly controlCohort: 'never' | 'last';
    readonly controls: readonly string[];
    readonly cluster: readonly string[];
    readonly alpha: number;
  };
  /** Interaction-weighted effect per relative period (cohort shares = cell observation counts). */
  readonly coefs: readonly EventCoef[];
  /** Covariance A V A' of `coefs` (same order), for joint inference such as HonestDiD. */
  readonly periodVcov: readonly (readonly number[])[];
  /** Cohort x relative-period cells delta(g, l). */
  readonly cells: readonly EventCoef[];
  /** Average over post cells (l >= 0) weighted by cell counts: fixest aggregate(agg = "ATT"). */
  readonly att: EventCoef;
  /** Per cohort, over its post cells: fixest aggregate(agg = "cohort"). */
  readonly cohorts: readonly EventCoef[];
  readonly pretest: PretrendTest | null;
  /** Sup-t critical value of the uniform band over the per-period coefficients (null unless options.simultaneous). */
  readonly critValSimult: number | null;
  readonly drops: { readonly unitsAlwaysTreated: number; readonly rowsAfterLastCohort: number };
  readonly fit: FeolsResult;
}

const PREFIX = 'sa_';

/**
 * Sun & Abraham (2021) interaction-weighted event study, as fixest's sunab(): saturated cohort x
 * relative-period dummies (reference period(s) excluded) with unit and time FE, then linear
 * aggregations of the cell coefficients whose variance is w' V w (shares treated as fixed).
 */
export function sunAbraham(frame: PanelFrame, options: SunAbrahamOptions): SunAbrahamResult {
  const setup = treatmentSetup(frame, options.treatment);
  const ref = options.ref ?? [-1];
  const controlCohort = options.controlCohort ?? 'never';
  const controls = options.controls ?? [];
  const cluster = options.cluster ?? [frame.schema.unit];
  const alpha = options.alpha ?? 0.05;
  const first = setup.periods[0]!;
  let last = setup.periods[setup.periods.length - 1]!;
  const cohortOfRow = (r: number): number => setup.unitCohort[setup.rowUnit[r]!]!;
  const keep = new Uint8Array(setup.nRows).fill(1);
  let unitsAlwaysTreated = 0;
  const always = new Set<number>();
  for (let u = 0; u < setup.nUnits; u++) if (setup.unitCohort[u]! <= first) (always.add(u), unitsAlwaysTreated++);
  let controlG = Number.POSITIVE_INFINITY;
  let rowsAfterLastCohort = 0;
  if (controlCohort === 'last') {
    controlG = Math.max(...[...setup.unitCohort].filter((g) => g <= last && g > first));
    for (let r = 0; r < setup.nRows; r++) if (setup.periods[setup.rowPeriod[r]!]! >= controlG) ((keep[r] = 0), rowsAfterLastCohort++);
    last = Math.max(...setup.periods.filter((p) => p < controlG));
  } else if (controlCohort !== 'never') {
    throw new Error(`sunAbraham: option controlCohort must be 'never' or 'last', got '${String(controlCohort)}'`);
  }
  for (let r = 0; r < setup.nRows; r++) if (always.has(setup.rowUnit[r]!)) keep[r] = 0;
  const isTreatedCohort = (g: number): boolean => g > first && g <= last && g !== controlG;

  // cells (g, l) present in the kept rows
  const cellKey = (g: number, l: number): string => `${g}|${l}`;
  const cellCount = new Map<string, { g: number; l: number; n: number; col: Float64Array }>();
  for (let r = 0; r < setup.nRows; r++) {
    if (!keep[r]) continue;
    const g = cohortOfRow(r);
    if (!isTreatedCohort(g)) continue;
    const l = setup.relTime[r]!;
    if (ref.includes(l)) continue;
    const key = cellKey(g, l);
    let c = cellCount.get(key);
    if (!c) cellCount.set(key, (c = { g, l, n: 0, col: new Float64Array(setup.nRows) }));
    c.n++;
    c.col[r] = 1;
  }
  const cellList = [...cellCount.values()].sort((a, b) => a.g - b.g || a.l - b.l);
  const names = cellList.map((c, j) => `${PREFIX}${j}`);
  const columns: Record<string, Float64Array> = {};
  cellList.forEach((c, j) => (columns[names[j]!] = c.col));
  let data = frame.withColumns(columns);
  if (keep.some((k) => k === 0)) data = data.filterRows((r) => keep[r] === 1);
  const fit = feols(modelSpec({ lhs: options.outcome, terms: [...names, ...controls], fixef: [frame.schema.unit, frame.schema.time] }), data, {
    vcov: { cluster: [...cluster] },
    ...(options.weights ? { weights: options.weights } : {}),
  });
  // estimated cells: index into the fit's coefficients
  const est = cellList
    .map((c, j) => ({ ...c, j: fit.coefNames.indexOf(names[j]!) }))
    .filter((c) => c.j >= 0);
  const V = fit.vcov;
  const combo = (sel: typeof est): { estimate: number; se: number; w: number[] } => {
    const total = sel.reduce((a, c) => a + c.n, 0);
    const w = sel.map((c) => c.n / total);
    let estimate = 0;
    let v = 0;
    sel.forEach((a, p) => {
      estimate += w[p]! * fit.coefficients[a.j]!;
      sel.forEach((b, q) => (v += w[p]! * w[q]! * V[a.j]![b.j]!));
    });
    return { estimate, se: Math.sqrt(v), w };
  };
  const df = fit.dof.t;
  const cells = est.map((c) => eventCoef(`cohort::${c.g}:period::${c.l}`, c.l, c.g, fit.coefficients[c.j]!, fit.se[c.j]!, alpha, df));
  const periods = [...new Set(est.map((c) => c.l))].sort((a, b) => a - b);
  const weightsByPeriod: number[][] = [];
  const coefs = periods.map((l) => {
    const sel = est.filter((c) => c.l === l);
    const r = combo(sel);
    weightsByPeriod.push(est.map((c) => (c.l === l ? r.w[sel.indexOf(c)]! : 0)));
    return eventCoef(`period::${l}`, l, null, r.estimate, r.se, alpha, df);
  });
  const post = est.filter((c) => c.l >= 0);
  const a = combo(post);
  const att = eventCoef('ATT', Number.NaN, null, a.estimate, a.se, alpha, df);
  const cohorts = [...new Set(post.map((c) => c.g))].sort((x, y) => x - y).map((g) => {
    const r = combo(post.filter((c) => c.g === g));
    return eventCoef(`cohort::${g}`, Number.NaN, g, r.estimate, r.se, alpha, df);
  });
  const pretest = preTest(periods, coefs, weightsByPeriod, est.map((c) => c.j), V, df);
  // covariance of the per-period IW coefficients: A V A'
  const periodVcov = weightsByPeriod.map((wa) =>
    weightsByPeriod.map((wb) => {
      let s = 0;
      for (let i = 0; i < est.length; i++) {
        if (wa[i] === 0) continue;
        for (let j = 0; j < est.length; j++) if (wb[j] !== 0) s += wa[i]! * wb[j]! * V[est[i]!.j]![est[j]!.j]!;
      }
      return s;
    }),
  );
  const critValSimult = options.simultaneous ? supTCritical(periodVcov, alpha, options.simultaneous) : null;
  return Object.freeze({
    kind: 'sun_abraham' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, ref: Object.freeze([...ref]), controlCohort, controls: Object.freeze([...controls]), cluster: Object.freeze([...cluster]), alpha }),
    coefs: Object.freeze(coefs),
    periodVcov: Object.freeze(periodVcov.map((row) => Object.freeze(row))),
    cells: Object.freeze(cells),
    att,
    cohorts: Object.freeze(cohorts),
    pretest,
    critValSimult,
    drops: Object.freeze({ unitsAlwaysTreated, rowsAfterLastCohort }),
    fit,
  });
}

/** Joint Wald test that every pre-period IW coefficient is 0, with the aggregated covariance A V A'. */
function preTest(periods: number[], coefs: EventCoef[], A: number[][], idx: number[], V: readonly (readonly number[])[], df2: number): PretrendTest | null {
  const pre = periods.map((l, p) => (l < 0 ? p : -1)).filter((p) => p >= 0);
  const q = pre.length;
  if (q === 0) return null;
  const S = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) {
      let s = 0;
      const wa = A[pre[a]!]!;
      const wb = A[pre[b]!]!;
      for (let i = 0; i < idx.length; i++) {
        if (wa[i] === 0) continue;
        for (let j = 0; j < idx.length; j++) if (wb[j] !== 0) s += wa[i]! * wb[j]! * V[idx[i]!]![idx[j]!]!;
      }
      S[a * q + b] = s;
    }
  }
  const inv = invertSpd(S, q);
  if (!inv) return null;
  let chi2 = 0;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) chi2 += coefs[pre[a]!]!.estimate * inv[a * q + b]! * coefs[pre[b]!]!.estimate;
  const f = chi2 / q;
  return Object.freeze({
    eventTimes: Object.freeze(pre.map((p) => periods[p]!)),
    f,
    df1: q,
    df2,
    pValue: pfUpper(f, q, df2),
    chi2,
    pValueChi2: pchisqUpper(chi2, q),
  });
}

