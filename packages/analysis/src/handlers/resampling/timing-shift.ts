import { z } from 'zod';
import { csTimingShift } from '@panel-lab/did';
import { twoSidedP } from '@panel-lab/regression';
import { timingShiftTest } from '@panel-lab/resample';
import type { Block, Cell } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { alphaField, clusterField, csFields, csOptionsOf } from '../inference.js';

export const timingShiftOptions = analysisObject('timing_shift', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  shifts: z.array(z.number().int().refine((s) => s !== 0, 'a shift must not be 0')).default([-2, -3, -4, 1]),
  sample: z.enum(['full', 'pre_only', 'both']).default('both'),
  estimators: z.array(z.enum(['twfe', 'cs'])).min(1).default(['twfe', 'cs']).describe("TWFE (the seed) and Callaway-Sant'Anna (full sample)"),
  cluster: clusterField.optional(),
  alpha: alphaField.describe("significance level of the Callaway-Sant'Anna rows' intervals (default 0.05)"),
  cs: z.object(csFields).strict().default(z.object(csFields).parse({})).describe("options of the Callaway-Sant'Anna rows (library defaults)"),
  caption: z.string().default('Counterfactual timing test'),
});

/** Fake adoption years shifted earlier or later (seed 000 Table 7). */
export const timingShiftHandler = defineHandler({
  estimator: 'timing_shift',
  description: 'counterfactual timing test: fake adoption years G + s',
  options: timingShiftOptions,
  async run(ctx, opts) {
    const rows: Cell[][] = [];
    const results: Record<string, unknown> = {};
    const notes = new Set<string>();
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `timing shifts ${outcome}`, fraction: i / opts.outcomes.length });
      const label = (s: number) => (s > 0 ? `+${s}` : String(s));
      if (opts.estimators.includes('twfe')) {
        const res = timingShiftTest(ctx.frame, { outcome, cohort: opts.cohort, controls: opts.controls, shifts: opts.shifts, sample: opts.sample, ...(opts.cluster ? { cluster: opts.cluster } : {}) });
        results[outcome] = res;
        for (const r of res.rows) {
          rows.push([outcome, 'TWFE', label(r.shift), r.sample, r.estimate, r.std_error, r.p_value, r.nobs]);
          if (r.note) notes.add(`shift ${r.shift}: ${r.note}`);
        }
      }
      if (opts.estimators.includes('cs')) {
        const cs = csTimingShift(ctx.frame, { outcome, cohort: opts.cohort, shifts: opts.shifts, alpha: opts.alpha, ...csOptionsOf(opts.cs), ...(opts.cluster ? { cluster: opts.cluster } : {}) });
        results[`${outcome}:cs`] = cs;
        for (const r of cs.rows) {
          const p = r.estimate !== null && r.std_error ? twoSidedP(r.estimate / r.std_error, Number.POSITIVE_INFINITY) : null;
          rows.push([outcome, "Callaway-Sant'Anna", label(r.shift), 'full', r.estimate, r.std_error, p, null]);
        }
      }
    }
    const blocks: Block[] = [
      {
        kind: 'table',
        id: opts.id,
        table: {
          title: opts.caption,
          columns: ['outcome', 'estimator', 'shift (years)', 'sample', 'estimate', 'SE', 'p', 'N'],
          rows,
          notes: [
            "Fake treatment D = 1{treated, t >= G + s}. 'full' uses the whole panel (as the seed); 'pre_only' drops treated observations from the true adoption on, so an earlier fake date cannot pick up the real effect.",
            'A later shift (s = +1) is not a clean falsification: its dummy is a subset of the true one.',
            "Callaway-Sant'Anna rows: simple ATT with every treated unit's cohort moved by s, full sample; its own pre-period ATT(g,t) and pre-test (Table 4) are the clean falsification.",
            ...notes,
          ],
        },
      },
    ];
    return { title: opts.title ?? 'Counterfactual timing', blocks, results };
  },
});

