import type { PanelFrame } from '@panel-lab/panel';

/**
 * How treatment is given: `cohort` names a column holding each unit's first treated period
 * (0, missing or Infinity = never treated), or `treatment` names a 0/1 column from which the
 * cohort is derived (it must be absorbing: once 1, always 1).
 */
export type TreatmentSpec = { readonly cohort: string; readonly treatment?: undefined } | { readonly treatment: string; readonly cohort?: undefined };

export interface CohortSize {
  /** First treated period; null for never treated. */
  readonly cohort: number | null;
  readonly units: number;
  readonly rows: number;
  readonly share: number;
}

/**
 * Units, periods and cohorts of a panel. Typed arrays are row- or unit-aligned indexes used by
 * the estimators; `cohortSizes` and the counts are the JSON-safe summary.
 */
export interface TreatmentSetup {
  readonly kind: 'treatment_setup';
  readonly unit: string;
  readonly time: string;
  readonly source: TreatmentSpec;
  /** Sorted distinct periods. */
  readonly periods: readonly number[];
  /** Unit labels in code order. */
  readonly units: readonly string[];
  /** Per row: unit code and period index (into periods). */
  readonly rowUnit: Int32Array;
  readonly rowPeriod: Int32Array;
  /** Per unit: first treated period, Infinity for never treated. */
  readonly unitCohort: Float64Array;
  /** Per row: t - G (NaN for never-treated units). */
  readonly relTime: Float64Array;
  /** Per row: 1 when treated (t >= G). */
  readonly treated: Float64Array;
  readonly cohortSizes: readonly CohortSize[];
  /** Every unit observed exactly once in every period. */
  readonly balanced: boolean;
  readonly nUnits: number;
  readonly nRows: number;
}

/** True cohort values that mean "never treated" in a cohort column. */
function isNeverCode(v: number): boolean {
  return Number.isNaN(v) || v === 0 || v === Number.POSITIVE_INFINITY;
}

/**
 * Builds the treatment setup: cohorts (never-treated coded explicitly as Infinity), the
 * absorbing-treatment check, relative time and the cohort-size table.
 */
export function treatmentSetup(frame: PanelFrame, spec: TreatmentSpec): TreatmentSetup {
  const unitName = frame.schema.unit;
  const timeName = frame.schema.time;
  const { codes: rowUnit, levels: units } = frame.codes(unitName);
  const time = frame.numeric(timeName);
  const nRows = frame.nrows;
  const nUnits = units.length;
  for (let r = 0; r < nRows; r++) {
    if (rowUnit[r]! < 0) throw new Error(`unit column '${unitName}' is missing at row ${r}`);
    if (!Number.isFinite(time[r]!)) throw new Error(`time column '${timeName}' is missing or not finite at row ${r}`);
  }
  const periods = Array.from(new Set(time)).sort((a, b) => a - b);
  const rowPeriod = periodIndexOf(time, periods);

  // balance and duplicate check
  const seen = new Uint8Array(nUnits * periods.length);
  for (let r = 0; r < nRows; r++) {
    const cell = rowUnit[r]! * periods.length + rowPeriod[r]!;
    if (seen[cell]) {
      throw new Error(`unit '${units[rowUnit[r]!]}' has more than one row for ${timeName} = ${time[r]} (row ${r})`);
    }
    seen[cell] = 1;
  }
  const balanced = nRows === nUnits * periods.length;

  const unitCohort = new Float64Array(nUnits).fill(Number.NaN);
  if (spec.cohort !== undefined) {
    const g = frame.numeric(spec.cohort);
    for (let r = 0; r < nRows; r++) {
      const u = rowUnit[r]!;
      const value = isNeverCode(g[r]!) ? Number.POSITIVE_INFINITY : g[r]!;
      const prev = unitCohort[u]!;
      if (Number.isNaN(prev)) unitCohort[u] = value;
      else if (prev !== value) {
        throw new Error(`cohort column '${spec.cohort}' is not constant within unit '${units[u]}' (${prev} and ${value})`);
      }
    }
  } else {
    cohortFromTreatment(frame.numeric(spec.treatment), spec.treatment, rowUnit, time, units, unitCohort);
  }

  const relTime = new Float64Array(nRows);
  const treated = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const g = unitCohort[rowUnit[r]!]!;
    relTime[r] = g === Number.POSITIVE_INFINITY ? Number.NaN : time[r]! - g;
    treated[r] = time[r]! >= g ? 1 : 0;
  }

  return Object.freeze({
    kind: 'treatment_setup' as const,
    unit: unitName,
    time: timeName,
    source: spec,
    periods: Object.freeze(periods),
    units,
    rowUnit,
    rowPeriod,
    unitCohort,
    relTime,
    treated,
    cohortSizes: cohortSizeTable(unitCohort, rowUnit),
    balanced,
    nUnits,
    nRows,
  });
}

function cohortFromTreatment(
  d: Float64Array,
  column: string,
  rowUnit: Int32Array,
  time: Float64Array,
  units: readonly string[],
  unitCohort: Float64Array,
): void {
  const nUnits = units.length;
  const first = new Float64Array(nUnits).fill(Number.POSITIVE_INFINITY);
  for (let r = 0; r < d.length; r++) {
    const v = d[r]!;
    if (v !== 0 && v !== 1) throw new Error(`treatment column '${column}' must be 0/1, got ${v} at row ${r} (unit '${units[rowUnit[r]!]}')`);
    if (v === 1 && time[r]! < first[rowUnit[r]!]!) first[rowUnit[r]!] = time[r]!;
  }
  // absorbing: no 0 after the first 1
  const switchers = new Set<number>();
  for (let r = 0; r < d.length; r++) {
    if (d[r]! === 0 && time[r]! > first[rowUnit[r]!]!) switchers.add(rowUnit[r]!);
  }
  if (switchers.size > 0) {
    const names = [...switchers].slice(0, 10).map((u) => `'${units[u]}'`);
    throw new Error(
      `treatment column '${column}' is not absorbing: ${switchers.size} unit(s) switch treatment off after adoption: ${names.join(', ')}${switchers.size > 10 ? ', ...' : ''}`,
    );
  }
  unitCohort.set(first);
}

/** Index of each time value in the sorted distinct periods (direct offsets for integer times). */
function periodIndexOf(time: Float64Array, periods: readonly number[]): Int32Array {
  const out = new Int32Array(time.length);
  const lo = periods[0]!;
  const span = periods[periods.length - 1]! - lo;
  if (periods.every(Number.isInteger) && span < 1e6) {
    const lookup = new Int32Array(span + 1);
    periods.forEach((p, i) => (lookup[p - lo] = i));
    for (let r = 0; r < time.length; r++) out[r] = lookup[time[r]! - lo]!;
    return out;
  }
  const index = new Map(periods.map((p, i) => [p, i]));
  for (let r = 0; r < time.length; r++) out[r] = index.get(time[r]!)!;
  return out;
}

function cohortSizeTable(unitCohort: Float64Array, rowUnit: Int32Array): readonly CohortSize[] {
  const units = new Map<number, number>();
  const rows = new Map<number, number>();
  const rowsPerUnit = new Int32Array(unitCohort.length);
  for (let r = 0; r < rowUnit.length; r++) rowsPerUnit[rowUnit[r]!]!++;
  for (let u = 0; u < unitCohort.length; u++) {
    const g = unitCohort[u]!;
    units.set(g, (units.get(g) ?? 0) + 1);
    rows.set(g, (rows.get(g) ?? 0) + rowsPerUnit[u]!);
  }
  const keys = [...units.keys()].sort((a, b) => a - b);
  return Object.freeze(
    keys.map((g) =>
      Object.freeze({
        cohort: g === Number.POSITIVE_INFINITY ? null : g,
        units: units.get(g)!,
        rows: rows.get(g) ?? 0,
        share: units.get(g)! / unitCohort.length,
      }),
    ),
  );
}

/** One point of the raw-trend figure: mean outcome of a cohort (null = never treated) in a period. */
export interface CohortTrendRow {
  readonly cohort: number | null;
  readonly time: number;
  readonly mean: number;
  readonly n: number;
  readonly n_missing: number;
}

/**
 * Descriptive trends (seed Figs 2-3): yearly mean of an outcome by cohort, never-treated
 * included. Missing values are counted per cell, not silently dropped.
 */
export function cohortTrends(frame: PanelFrame, setup: TreatmentSetup, outcome: string): readonly CohortTrendRow[] {
  const y = frame.numeric(outcome);
  const cohorts = setup.cohortSizes.map((c) => (c.cohort === null ? Number.POSITIVE_INFINITY : c.cohort));
  const cIndex = new Map(cohorts.map((g, i) => [g, i]));
  const nT = setup.periods.length;
  const sum = new Float64Array(cohorts.length * nT);
  const cnt = new Float64Array(cohorts.length * nT);
  const miss = new Float64Array(cohorts.length * nT);
  for (let r = 0; r < setup.nRows; r++) {
    const cell = cIndex.get(setup.unitCohort[setup.rowUnit[r]!]!)! * nT + setup.rowPeriod[r]!;
    if (Number.isFinite(y[r]!)) {
      sum[cell]! += y[r]!;
      cnt[cell]! += 1;
    } else miss[cell]! += 1;
  }
  const out: CohortTrendRow[] = [];
  cohorts.forEach((g, c) => {
    for (let t = 0; t < nT; t++) {
      const cell = c * nT + t;
      out.push(
        Object.freeze({
          cohort: g === Number.POSITIVE_INFINITY ? null : g,
          time: setup.periods[t]!,
          mean: cnt[cell]! > 0 ? sum[cell]! / cnt[cell]! : Number.NaN,
          n: cnt[cell]!,
          n_missing: miss[cell]!,
        }),
      );
    }
  });
  return Object.freeze(out);
}
