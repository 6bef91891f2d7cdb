import { z } from 'zod';
import { plotData, sunAbraham, tidy, type SunAbrahamResult } from '@panel-lab/did';
import type { Block, Cell } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';
import { eventStudyFigure } from './event-figure.js';
import { truthRows } from './truth.js';
import { alphaField, weightsField } from './inference.js';
import { modelFromFeols } from '../results/models.js';

export const sunAbrahamOptions = analysisObject('sun_abraham', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1).describe('first-treatment-period column (0 or missing = never treated)'),
  controls: z.array(z.string().min(1)).default([]),
  ref: z.array(z.number().int()).min(1).default([-1]).describe('excluded relative periods; default [-1], as the library and fixest sunab (ref.p)'),
  controlCohort: z
    .enum(['never', 'last'])
    .default('never')
    .describe("never (default, as the library): never-treated units are the controls; last: the last-treated cohort, periods from its adoption dropped"),
  cluster: z.string().min(1).optional().describe('cluster column (default the unit, as the library)'),
  weights: weightsField.optional(),
  alpha: alphaField,
  simultaneousDraws: z.number().int().min(99).optional().describe('draws of a uniform (sup-t) band over the per-period effects, seeded from the analysis seed; default none, as the library'),
  figure: z.string().default('Sun-Abraham event study').describe('caption prefix naming what the figure replicates'),
});

/** The per-period IW coefficients with the reference period(s) at 0, as plotted. */
function sunAbrahamPoints(result: SunAbrahamResult) {
  const pd = plotData(result);
  if (pd.kind !== 'event_study') throw new Error('Sun-Abraham: unexpected plot data');
  return pd.series.map((p) => ({ x: p.x, estimate: p.estimate, lo: p.ref ? null : p.lo, hi: p.ref ? null : p.hi }));
}

/** Sun & Abraham (2021) interaction-weighted event study (fixest sunab), its ATT and cohort aggregations. */
export const sunAbrahamHandler = defineHandler({
  estimator: 'sun_abraham',
  description: 'Sun-Abraham interaction-weighted event study: cohort x relative-period cells, per-period IW effects, ATT and cohort aggregations',
  options: sunAbrahamOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    const summaryRows: Cell[][] = [];
    const fits: { outcome: string; result: SunAbrahamResult }[] = [];
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `Sun-Abraham ${outcome}`, fraction: i / opts.outcomes.length });
      const sa = sunAbraham(ctx.frame, {
        outcome,
        treatment: { cohort: opts.cohort },
        ref: opts.ref,
        controlCohort: opts.controlCohort,
        controls: opts.controls,
        ...(opts.cluster ? { cluster: [opts.cluster] } : {}),
        ...(opts.weights ? { weights: opts.weights } : {}),
        alpha: opts.alpha,
        ...(opts.simultaneousDraws ? { simultaneous: { seed: ctx.seed + i, draws: opts.simultaneousDraws } } : {}),
      });
      fits.push({ outcome, result: sa });
      results[outcome] = { tidy: tidy(sa), att: sa.att, cohorts: sa.cohorts, cells: sa.cells, pretest: sa.pretest, drops: sa.drops, spec: sa.spec };
      summaryRows.push([outcome, sa.att.estimate, sa.att.se, sa.att.confLow, sa.att.confHigh, sa.pretest ? sa.pretest.pValue : null, sa.fit.nobs]);
      blocks.push(await eventStudyFigure(outcome, [{ name: 'Sun-Abraham IW', points: sunAbrahamPoints(sa) }], {
        id: `${opts.id}-${outcome}`,
        title: `Sun-Abraham event study: ${outcome}`,
        subtitle: `reference period${opts.ref.length > 1 ? 's' : ''} ${opts.ref.join(', ')}; ${opts.controlCohort === 'never' ? 'never-treated' : 'last-treated'} controls; 95% CIs clustered by ${opts.cluster ?? 'unit'}`,
        xTitle: 'years relative to treatment',
        caption: `${opts.figure}: ${outcome}, interaction-weighted effect per relative period (cohort shares from cell counts), reference ${opts.ref.join(', ')}.`,
      }));
    }
    blocks.unshift({
      kind: 'table',
      id: `${opts.id}-att`,
      table: {
        title: 'Sun-Abraham ATT (post cells weighted by their observations)',
        columns: ['outcome', 'ATT', 'SE', 'CI low', 'CI high', 'pre-trend p', 'observations'],
        rows: summaryRows,
        notes: [
          `${opts.controlCohort === 'never' ? 'Never-treated units' : 'The last-treated cohort (periods from its adoption dropped)'} as controls; unit and time fixed effects; SEs clustered by ${opts.cluster ?? ctx.frame.schema.unit}; ${opts.controls.length ? `controls ${opts.controls.join(', ')}` : 'no controls'}.`,
        ],
      },
    });
    const comparison = truthRows(ctx.truth, fits.map((f) => ({ outcome: f.outcome, row: { estimate: f.result.att.estimate, std_error: f.result.att.se, conf_low: f.result.att.confLow, conf_high: f.result.att.confHigh }, label: `Sun-Abraham ATT, ${f.outcome}` })));
    if (comparison) blocks.push({ kind: 'comparison', id: `${opts.id}-truth`, title: 'Sun-Abraham ATT vs the true ATT', rows: comparison });
    return { title: opts.title ?? 'Sun-Abraham event study', blocks, results, models: fits.map((f) => modelFromFeols(f.outcome, f.result.fit, 'sunAbraham', opts.alpha)) };
  },
});
