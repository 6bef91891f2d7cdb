import { z } from 'zod';
import { csPlacebo } from '@panel-lab/did';
import { densityChart, type Block, type Cell } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { csFields, csOptionsOf } from '../inference.js';
import { dataTable, type DataTable } from '../../results/tables.js';

export const csPlaceboOptions = analysisObject('cs_placebo', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  mode: z.enum(['A_units_true_timing', 'B_units_random_timing', 'C_timing_only']).default('A_units_true_timing'),
  ...csFields,
  draws: z.number().int().min(10).default(1000),
  chunkSize: z.number().int().min(1).optional().describe('draws per chunk; chunk k uses random stream k (library default; same seed and chunkSize = same draws)'),
  figure: z.string().default("Callaway-Sant'Anna placebo test"),
});

/** Placebo test for the heterogeneity-robust estimator: the simple CS ATT under random pseudo-cohorts. */
export const csPlaceboHandler = defineHandler({
  estimator: 'cs_placebo',
  description: "placebo test for Callaway-Sant'Anna (random pseudo-cohorts)",
  options: csPlaceboOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const rows: Cell[][] = [];
    const failures: string[] = [];
    const results: Record<string, unknown> = {};
    const tables: Record<string, DataTable> = {};
    for (const [i, outcome] of opts.outcomes.entries()) {
      const res = csPlacebo(ctx.frame, {
        outcome,
        cohort: opts.cohort,
        mode: opts.mode,
        ...csOptionsOf(opts),
        ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
        draws: opts.draws,
        seed: ctx.seed + i,
        onProgress: (done, total) => {
          if (done % 50 === 0 || done === total) ctx.progress({ step: `CS placebo ${outcome}`, fraction: (i + done / total) / opts.outcomes.length, done, total });
        },
      });
      results[outcome] = res;
      tables[`${outcome}.draws`] = dataTable(`one pseudo-cohort draw: the simple ATT (${outcome}); null: no estimable cell`, { draw: Array.from({ length: res.draws.length }, (_, k) => k), att: res.draws });
      if (res.failures.count > 0) failures.push(`${outcome}: ${res.failures.count} of ${opts.draws} draws without an estimate (${res.failures.messages.join('; ')})`);
      const s = res.summary;
      rows.push([outcome, res.estimate.att, res.estimate.se, s.valid, s.mean, s.sd, s.quantiles.p05, s.quantiles.p95, s.pTwoSided]);
      const draws = res.draws.filter((d): d is number => d !== null);
      const chart = await densityChart(draws, {
        title: `CS placebo distribution: ${outcome}`,
        subtitle: `${s.valid} pseudo-cohort draws (${opts.mode}); empirical two-sided p = ${s.pTwoSided.toFixed(3)}`,
        xTitle: 'placebo simple ATT',
        actual: res.estimate.att,
      });
      blocks.push({ kind: 'figure', id: `${opts.id}-${outcome}`, caption: `${opts.figure}: ${outcome}, density of the simple ATT under ${s.valid} random pseudo-cohorts, real estimate marked.`, svg: chart.svg, spec: chart.spec });
    }
    blocks.unshift({
      kind: 'table',
      id: `${opts.id}-summary`,
      table: {
        title: "Callaway-Sant'Anna placebo tests",
        columns: ['outcome', 'real ATT', 'SE', 'valid draws', 'placebo mean', 'placebo SD', 'p5', 'p95', 'empirical p'],
        rows,
        notes: [
          'Each draw re-estimates every ATT(g,t) on pseudo-cohorts and aggregates them (simple); a draw with no estimable cell counts as degenerate and is listed below.',
          ...(failures.length ? failures : ['Every draw gave an estimate.']),
        ],
      },
    });
    return { title: opts.title ?? "Callaway-Sant'Anna placebo tests", blocks, results, tables };
  },
});
