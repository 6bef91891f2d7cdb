import { z } from 'zod';
import { cohortTrends, treatmentSetup } from '@panel-lab/did';
import { trendChart, type Block } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';

export const trendsOptions = analysisObject('trends', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1).describe('first-treatment-period column (0 or missing = never treated)'),
  figure: z.string().default('Raw trends').describe('caption prefix naming what the figure replicates'),
});

/** Yearly means of each outcome by cohort vs never-treated units (seed 000 Figs 2-3). */
export const trendsHandler = defineHandler({
  estimator: 'trends',
  description: 'yearly outcome means by treatment cohort and for never-treated units',
  options: trendsOptions,
  async run(ctx, opts) {
    const setup = treatmentSetup(ctx.frame, { cohort: opts.cohort });
    const cohorts = setup.cohortSizes.filter((c) => c.cohort !== null).map((c) => c.cohort as number);
    const blocks: Block[] = [];
    const results: Record<string, unknown> = { cohortSizes: setup.cohortSizes };
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `trends ${outcome}`, fraction: i / opts.outcomes.length });
      const rows = cohortTrends(ctx.frame, setup, outcome);
      results[outcome] = rows;
      const label = (c: number | null) => (c === null ? 'never treated' : `cohort ${c}`);
      const chart = await trendChart(
        rows.filter((r) => Number.isFinite(r.mean)).map((r) => ({ time: r.time, value: r.mean, cohort: label(r.cohort) })),
        {
          title: `Yearly mean of ${outcome}`,
          yTitle: outcome,
          referenceTimes: cohorts.map((c) => ({ time: c, label: `cohort ${c} starts` })),
          cohortOrder: [...cohorts.map(label), label(null)],
        },
      );
      blocks.push({ kind: 'figure', id: `${opts.id}-${outcome}`, caption: `${opts.figure}: yearly mean of ${outcome} for each treatment cohort and the never-treated cities.`, svg: chart.svg, spec: chart.spec });
    }
    blocks.push({
      kind: 'table',
      id: `${opts.id}-cohorts`,
      table: {
        title: 'Treatment cohorts',
        columns: ['cohort', 'units', 'observations', 'share of units'],
        rows: setup.cohortSizes.map((c) => [c.cohort === null ? 'never treated' : c.cohort, c.units, c.rows, c.share]),
      },
    });
    return { title: opts.title ?? 'Raw trends by treatment cohort', blocks, results };
  },
});
