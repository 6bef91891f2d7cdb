import type { PanelFrame } from '@panel-lab/panel';
import { treatmentSetup, type TreatmentSetup, type TreatmentSpec } from '../treatment.js';
import { baconWithControls, type BaconControlsPart } from './bacon-controls.js';
import { twfeBalanced, withinBalanced } from '../internal/balanced.js';
import type { BaconResult, BaconTwoByTwo } from './types.js';

export interface BaconOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** Time-varying controls: the decomposition of Goodman-Bacon (2021) section 5, as bacondecomp. */
  readonly controls?: readonly string[];
}

/** A group of units sharing a treatment timing; D is the share of periods it is treated. */
interface TimingGroup {
  readonly cohort: number; // Infinity never, -Infinity always
  readonly units: number[];
  readonly share: number;
  readonly dBar: number;
}

/**
 * Goodman-Bacon (2021) decomposition of the TWFE coefficient on an absorbing binary treatment into
 * every 2x2 DID (treated vs never treated, earlier vs later, later vs earlier, later vs always),
 * with weights from the group sizes and treatment variances. Requires a balanced panel.
 */
export function baconDecomposition(frame: PanelFrame, options: BaconOptions): BaconResult {
  const setup = treatmentSetup(frame, options.treatment);
  if (!setup.balanced) {
    throw new Error(
      `baconDecomposition: the panel must be balanced (${setup.nRows} rows for ${setup.nUnits} units x ${setup.periods.length} periods); the decomposition identity needs every unit in every period`,
    );
  }
  const yRows = frame.numeric(options.outcome);
  const nT = setup.periods.length;
  const nU = setup.nUnits;
  const Y = unitPeriodMatrix(setup, yRows, options.outcome);
  const groups = timingGroups(setup);
  const controls = options.controls ?? [];
  if (controls.length > 0) {
    const X = controls.map((c) => unitPeriodMatrix(setup, frame.numeric(c), c));
    X.forEach((x, j) => {
      const xw = withinBalanced(x, nU, nT);
      if (!xw.some((v) => Math.abs(v) > 1e-12)) {
        throw new Error(`baconDecomposition: control '${controls[j]}' is collinear with the unit and period fixed effects (constant within unit or period)`);
      }
    });
    const part = baconWithControls(setup, groups, Y, X);
    return finish(options, part.rows, part.twfe, part, nU, nT);
  }

  const rows: BaconTwoByTwo[] = [];
  const first = setup.periods[0]!;
  const treatedGroups = groups.filter((g) => Number.isFinite(g.cohort));
  const never = groups.find((g) => g.cohort === Number.POSITIVE_INFINITY);
  const always = groups.find((g) => g.cohort === Number.NEGATIVE_INFINITY);
  const periodMean = (g: TimingGroup, from: number, to: number): number => {
    // mean of Y over units of g and period indexes [from, to)
    let s = 0;
    for (const u of g.units) for (let t = from; t < to; t++) s += Y[u * nT + t]!;
    return s / (g.units.length * (to - from));
  };
  const startOf = (g: TimingGroup): number => setup.periods.findIndex((p) => p >= g.cohort);
  for (const k of treatedGroups) {
    const ks = startOf(k);
    if (never) {
      const est = periodMean(k, ks, nT) - periodMean(k, 0, ks) - (periodMean(never, ks, nT) - periodMean(never, 0, ks));
      const nkU = k.share / (k.share + never.share);
      const w = (k.share + never.share) ** 2 * nkU * (1 - nkU) * k.dBar * (1 - k.dBar);
      rows.push({ treated: k.cohort, untreated: null, type: 'Treated vs Untreated', estimate: est, weight: w });
    }
    if (always) {
      // always-treated units as the control of a later cohort: periods all, pre = before k
      const est = periodMean(k, ks, nT) - periodMean(k, 0, ks) - (periodMean(always, ks, nT) - periodMean(always, 0, ks));
      const nkl = k.share / (k.share + always.share);
      const w = (k.share + always.share) ** 2 * nkl * (1 - nkl) * k.dBar * (1 - k.dBar);
      rows.push({ treated: k.cohort, untreated: 'always', type: 'Later vs Always Treated', estimate: est, weight: w });
    }
    for (const l of treatedGroups) {
      if (l === k) continue;
      const ls = startOf(l);
      const nkl = k.share / (k.share + l.share);
      const v = nkl * (1 - nkl);
      if (k.cohort < l.cohort) {
        // earlier k treated, later l as control, window before l is treated
        const est = periodMean(k, ks, ls) - periodMean(k, 0, ks) - (periodMean(l, ks, ls) - periodMean(l, 0, ks));
        const w = ((k.share + l.share) * (1 - l.dBar)) ** 2 * v * ((k.dBar - l.dBar) / (1 - l.dBar)) * ((1 - k.dBar) / (1 - l.dBar));
        rows.push({ treated: k.cohort, untreated: l.cohort, type: 'Earlier vs Later Treated', estimate: est, weight: w });
      } else {
        // later k treated, earlier l (already treated) as control, window from l's adoption
        const est = periodMean(k, ks, nT) - periodMean(k, ls, ks) - (periodMean(l, ks, nT) - periodMean(l, ls, ks));
        const w = ((k.share + l.share) * l.dBar) ** 2 * v * (k.dBar / l.dBar) * ((l.dBar - k.dBar) / l.dBar);
        rows.push({ treated: k.cohort, untreated: l.cohort, type: 'Later vs Earlier Treated', estimate: est, weight: w });
      }
    }
  }
  void first;
  const total = rows.reduce((a, r) => a + r.weight, 0);
  const normalised = rows.map((r) => Object.freeze({ ...r, weight: r.weight / total }));
  const D = unitPeriodMatrix(setup, setup.treated, 'treatment');
  return finish(options, normalised, twfeBalanced(Y, [D], nU, nT)[0]!, null, nU, nT);
}

function finish(
  options: BaconOptions,
  rows: readonly BaconTwoByTwo[],
  twfe: number,
  controlsPart: BaconControlsPart | null,
  nU: number,
  nT: number,
): BaconResult {
  const types = [...new Set(rows.map((r) => r.type))].sort();
  const byType = types.map((type) => {
    const rs = rows.filter((r) => r.type === type);
    const weight = rs.reduce((a, r) => a + r.weight, 0);
    return Object.freeze({ type, weight, avgEstimate: rs.reduce((a, r) => a + r.weight * r.estimate, 0) / weight, count: rs.length });
  });
  const between = rows.reduce((a, r) => a + r.weight * r.estimate, 0);
  const overall = controlsPart ? controlsPart.omega * controlsPart.withinEstimate + (1 - controlsPart.omega) * between : between;
  return Object.freeze({
    kind: 'bacon' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, controls: Object.freeze([...(options.controls ?? [])]) }),
    twoByTwos: Object.freeze(rows),
    byType: Object.freeze(byType),
    overall,
    twfe,
    identityResidual: overall - twfe,
    within: controlsPart ? Object.freeze({ omega: controlsPart.omega, estimate: controlsPart.withinEstimate, betweenEstimate: between }) : null,
    nUnits: nU,
    nPeriods: nT,
    meta: Object.freeze({ backend: 'cpu' as const, precision: 64 as const }),
  });
}

/** nUnits x nPeriods (unit-major) matrix of a row column; errors name the first missing cell. */
export function unitPeriodMatrix(setup: TreatmentSetup, values: Float64Array, name: string): Float64Array {
  const nT = setup.periods.length;
  const out = new Float64Array(setup.nUnits * nT);
  for (let r = 0; r < setup.nRows; r++) {
    const v = values[r]!;
    if (!Number.isFinite(v)) {
      throw new Error(`column '${name}' is missing at row ${r} (unit '${setup.units[setup.rowUnit[r]!]}'); the decomposition needs complete data`);
    }
    out[setup.rowUnit[r]! * nT + setup.rowPeriod[r]!] = v;
  }
  return out;
}

/** Timing groups with unit shares and treated-period shares (always-treated: cohort -Infinity). */
export function timingGroups(setup: TreatmentSetup): TimingGroup[] {
  const first = setup.periods[0]!;
  const nT = setup.periods.length;
  const byCohort = new Map<number, number[]>();
  for (let u = 0; u < setup.nUnits; u++) {
    let g = setup.unitCohort[u]!;
    if (g <= first) g = Number.NEGATIVE_INFINITY;
    if (g > setup.periods[nT - 1]!) g = Number.POSITIVE_INFINITY;
    const list = byCohort.get(g) ?? [];
    list.push(u);
    byCohort.set(g, list);
  }
  return [...byCohort.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cohort, units]) => ({
      cohort,
      units,
      share: units.length / setup.nUnits,
      dBar: setup.periods.filter((p) => p >= cohort).length / nT,
    }));
}

