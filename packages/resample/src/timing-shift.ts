import type { PanelFrame } from '@panel-lab/panel';
import { feols, twoSidedP } from '@panel-lab/regression';
import { isNeverCohort } from './twfe-input.js';
import { RESAMPLE_VERSION } from './version.js';

export type TimingSample = 'full' | 'pre_only';

export interface TimingShiftOptions {
  readonly outcome: string;
  /** Column with each unit's first treated period (0, missing or Infinity = never treated). */
  readonly cohort: string;
  readonly controls?: readonly string[];
  /** Default the panel's unit. */
  readonly cluster?: string;
  /** Shifts s of the fake adoption G + s. Default [-2, -3, -4, 1] (METHODS §7). */
  readonly shifts?: readonly number[];
  /** 'full' (seed-faithful), 'pre_only' (for s < 0, drop treated rows with t >= G), or 'both' (default). */
  readonly sample?: TimingSample | 'both';
}

export interface TimingShiftRow {
  readonly shift: number;
  readonly sample: TimingSample;
  readonly estimate: number | null;
  readonly std_error: number | null;
  readonly statistic: number | null;
  readonly p_value: number | null;
  readonly nobs: number | null;
  /** Reference df of the t test (G - 1). */
  readonly df: number | null;
  /** Rows dropped by the pre_only rule (treated rows at or after the true adoption). */
  readonly rows_dropped: number;
  /** Treated units whose fake adoption is at or before the first period (no pre-period): kept, flagged. */
  readonly units_no_pre_period: number;
  readonly note: string | null;
}

export interface TimingShiftResult {
  readonly kind: 'timing_shift';
  readonly spec: Readonly<{ outcome: string; cohort: string; controls: readonly string[]; cluster: string; shifts: readonly number[]; samples: readonly TimingSample[] }>;
  readonly rows: readonly TimingShiftRow[];
  readonly meta: Readonly<{ backend: 'cpu'; precision: 64; versions: Readonly<Record<string, string>> }>;
}

const FAKE = 'timing_shift_d';

/**
 * Counterfactual timing test (METHODS §7): moves every treated unit's adoption by s periods and
 * re-estimates the baseline TWFE with CR1 SEs. Each row is one float64 feols fit.
 */
export function timingShiftTest(frame: PanelFrame, options: TimingShiftOptions): TimingShiftResult {
  const shifts = [...(options.shifts ?? [-2, -3, -4, 1])];
  shifts.forEach((s) => {
    if (!Number.isInteger(s) || s === 0) throw new Error(`option shifts: each shift must be a non-zero integer, got ${s}`);
  });
  const sampleOpt = options.sample ?? 'both';
  if (!['full', 'pre_only', 'both'].includes(sampleOpt)) throw new Error(`option sample must be full, pre_only or both, got '${String(sampleOpt)}'`);
  const samples: TimingSample[] = sampleOpt === 'both' ? ['full', 'pre_only'] : [sampleOpt];
  if (!frame.has(options.cohort)) throw new Error(`option cohort: column '${options.cohort}' not found; columns are: ${frame.columnNames.join(', ')}`);
  if (frame.has(FAKE)) throw new Error(`timingShiftTest: the frame already has a column '${FAKE}'`);
  const cluster = options.cluster ?? frame.schema.unit;
  const controls = [...(options.controls ?? [])];
  const g = frame.numeric(options.cohort);
  const time = frame.numeric(frame.schema.time);
  const unit = frame.codes(frame.schema.unit).codes;
  let first = Number.POSITIVE_INFINITY;
  for (const t of time) if (t < first) first = t;
  const formula = `${options.outcome} ~ ${[FAKE, ...controls].join(' + ')} | ${frame.schema.unit} + ${frame.schema.time}`;
  const rows: TimingShiftRow[] = [];
  for (const s of shifts) {
    const d = new Float64Array(frame.nrows);
    const noPre = new Set<number>();
    for (let r = 0; r < frame.nrows; r++) {
      if (isNeverCohort(g[r]!)) continue;
      if (g[r]! + s <= first) noPre.add(unit[r]!);
      d[r] = time[r]! >= g[r]! + s ? 1 : 0;
    }
    const withFake = frame.withColumns({ [FAKE]: d });
    for (const sample of samples) {
      let data = withFake;
      let dropped = 0;
      if (sample === 'pre_only' && s < 0) {
        data = withFake.filterRows((r) => isNeverCohort(g[r]!) || time[r]! < g[r]!);
        dropped = frame.nrows - data.nrows;
      }
      const notes: string[] = [];
      if (s > 0) notes.push('a later shift is not a clean falsification: the fake dummy is a subset of the true one');
      if (sample === 'pre_only' && s > 0) notes.push('pre_only drops rows for s < 0 only; this row uses the full sample');
      if (noPre.size > 0) notes.push(`${noPre.size} treated unit(s) have a fake adoption at or before the first period`);
      try {
        const fit = feols(formula, data, { vcov: { cluster } });
        const j = fit.coefNames.indexOf(FAKE);
        if (j < 0) throw new Error(`the fake treatment is collinear with the fixed effects`);
        const est = fit.coefficients[j]!;
        const se = fit.se[j]!;
        const t = est / se;
        rows.push(
          Object.freeze({
            shift: s,
            sample,
            estimate: est,
            std_error: se,
            statistic: t,
            p_value: twoSidedP(t, fit.dof.t),
            nobs: fit.nobs,
            df: fit.dof.t,
            rows_dropped: dropped + fit.nobsDropped,
            units_no_pre_period: noPre.size,
            note: notes.length ? notes.join('; ') : null,
          }),
        );
      } catch (err) {
        notes.push(`not estimable: ${err instanceof Error ? err.message : String(err)}`);
        rows.push(Object.freeze({ shift: s, sample, estimate: null, std_error: null, statistic: null, p_value: null, nobs: null, df: null, rows_dropped: dropped, units_no_pre_period: noPre.size, note: notes.join('; ') }));
      }
    }
  }
  return Object.freeze({
    kind: 'timing_shift',
    spec: Object.freeze({ outcome: options.outcome, cohort: options.cohort, controls: Object.freeze(controls), cluster, shifts: Object.freeze(shifts), samples: Object.freeze(samples) }),
    rows: Object.freeze(rows),
    meta: Object.freeze({ backend: 'cpu', precision: 64, versions: Object.freeze({ '@panel-lab/resample': RESAMPLE_VERSION }) }),
  });
}
