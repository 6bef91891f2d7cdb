import type { PanelFrame } from '@panel-lab/panel';
import { aggte } from '../cs/aggte.js';
import { attGt, type AttGtOptions } from '../cs/att-gt.js';

export interface CsTimingShiftOptions extends Omit<AttGtOptions, 'treatment'> {
  /** Column with each unit's first treated period (0, missing or Infinity = never treated). */
  readonly cohort: string;
  /** Shifts s of the fake adoption G + s. Default [-2, -3, -4, 1] (METHODS §7). */
  readonly shifts?: readonly number[];
}

export interface CsTimingShiftRow {
  readonly shift: number;
  readonly estimate: number | null;
  readonly std_error: number | null;
  /** Units whose fake adoption falls at or before the first period (no pre-period): dropped by att_gt, counted. */
  readonly units_no_pre_period: number;
  readonly note: string | null;
}

export interface CsTimingShiftResult {
  readonly kind: 'cs_timing_shift';
  readonly spec: Readonly<{ outcome: string; cohort: string; shifts: readonly number[] }>;
  readonly rows: readonly CsTimingShiftRow[];
  readonly meta: Readonly<{ backend: 'cpu'; precision: 64 }>;
}

/**
 * Counterfactual timing for Callaway-Sant'Anna: every treated unit's cohort moved to G + s and the
 * simple ATT re-estimated on the full panel. For s < 0 the post cells mix fake and real treatment
 * periods (as the seed's full-sample TWFE test); CS's own pre-period ATT(g,t) and pre-test remain
 * the clean falsification.
 */
export function csTimingShift(frame: PanelFrame, options: CsTimingShiftOptions): CsTimingShiftResult {
  const shifts = [...(options.shifts ?? [-2, -3, -4, 1])];
  shifts.forEach((s) => {
    if (!Number.isInteger(s) || s === 0) throw new Error(`csTimingShift: option shifts: each shift must be a non-zero integer, got ${s}`);
  });
  const { cohort, shifts: _s, ...cs } = options;
  const g = frame.numeric(cohort);
  const time = frame.numeric(frame.schema.time);
  let first = Infinity;
  for (const t of time) if (t < first) first = t;
  const rows = shifts.map((s): CsTimingShiftRow => {
    const fake = new Float64Array(g.length);
    const noPre = new Set<number>();
    const unit = frame.codes(frame.schema.unit).codes;
    for (let i = 0; i < g.length; i++) {
      const gi = g[i]!;
      const treated = Number.isFinite(gi) && gi > 0;
      fake[i] = treated ? gi + s : 0;
      if (treated && gi + s <= first) noPre.add(unit[i]!);
    }
    try {
      const agg = aggte(attGt(frame.withColumns({ [cohort]: fake }), { ...cs, treatment: { cohort } }), { type: 'simple', naRm: true });
      return Object.freeze({ shift: s, estimate: agg.overallAtt, std_error: agg.overallSe, units_no_pre_period: noPre.size, note: s > 0 ? 'a later fake date is a subset of the true treatment: not a clean falsification' : null });
    } catch (error) {
      return Object.freeze({ shift: s, estimate: null, std_error: null, units_no_pre_period: noPre.size, note: error instanceof Error ? error.message : String(error) });
    }
  });
  return Object.freeze({ kind: 'cs_timing_shift' as const, spec: Object.freeze({ outcome: cs.outcome, cohort, shifts: Object.freeze(shifts) }), rows: Object.freeze(rows), meta: Object.freeze({ backend: 'cpu' as const, precision: 64 as const }) });
}
