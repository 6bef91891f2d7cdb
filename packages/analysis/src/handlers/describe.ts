import { z } from 'zod';
import { describePanel } from '@panel-lab/panel';
import type { Table } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';

export const describeOptions = analysisObject('describe', {
  columns: z.array(z.string().min(1)).optional().describe('columns to summarise (default: every numeric column)'),
});

/** Panel facts and the descriptive-statistics table (seed 000 Table 2). */
export const describeHandler = defineHandler({
  estimator: 'describe',
  description: 'panel facts and descriptive statistics (N, mean, SD, min, max)',
  options: describeOptions,
  needsTime: false,
  async run(ctx, opts) {
    const facts = describePanel(ctx.frame);
    const wanted = opts.columns;
    if (wanted) {
      for (const name of wanted) if (!ctx.frame.has(name)) throw new Error(`describe: column '${name}' not found`);
    }
    const added = ctx.crossSection ? [ctx.frame.schema.time, ctx.frame.schema.unit] : [];
    const stats = facts.columns.filter((c) => c.type !== 'categorical' && !added.includes(c.name) && (!wanted || wanted.includes(c.name)));
    const table: Table = {
      title: 'Descriptive statistics',
      columns: ['variable', 'N', 'mean', 'sd', 'min', 'max'],
      rows: stats.map((c) => [c.name, c.n, c.mean, c.sd, c.min, c.max]),
      notes: ctx.crossSection ? [`Cross-section: ${facts.nobs} observations.`] : [
        `${facts.units.length} units x ${facts.periods.length} periods (${facts.periods[0]}-${facts.periods[facts.periods.length - 1]}), ${facts.nobs} observations; ${facts.balanced ? 'balanced' : `unbalanced: ${facts.unitsWithGaps.length} units with gaps`}.`,
      ],
    };
    return {
      title: opts.title ?? 'Descriptive statistics',
      blocks: [{ kind: 'table', id: `${opts.id}-stats`, table }],
      results: { facts },
    };
  },
});
