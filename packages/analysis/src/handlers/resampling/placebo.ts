import { z } from 'zod';
import { placeboTest } from '@panel-lab/resample';
import { densityChart, type Block, type Cell } from '@panel-lab/report';
import { computeContextFor } from '../../compute.js';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { clusterField } from '../inference.js';
import { dataTable, type DataTable } from '../../results/tables.js';

export const placeboOptions = analysisObject('placebo', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  mode: z.enum(['A_units_true_timing', 'B_units_random_timing', 'C_timing_only']).default('A_units_true_timing'),
  draws: z.number().int().min(10).default(1000),
  excludeTrueTreated: z.boolean().default(false),
  cluster: clusterField.optional().describe("cluster column of the real and the per-draw SEs (default the unit, as the library)"),
  se: z.boolean().default(true).describe("per-draw clustered SEs, t and p-values (default true, as the library); false: coefficients only (faster)"),
  chunkSize: z.number().int().min(1).optional().describe('draws per chunk; chunk k uses random stream k (library default 1000; same seed and chunkSize = same draws)'),
  path: z.enum(['auto', 'tables', 'kernel']).default('auto').describe("per-draw evaluator: 'auto' (default, as the library), 'tables' or 'kernel' (the batched backend kernel)"),
  figure: z.string().default('Placebo test'),
});

/** Random pseudo-treatments, batched through Frisch-Waugh-Lovell (seed 000 Figs 6-7). */
export const placeboHandler = defineHandler({
  estimator: 'placebo',
  description: 'placebo / permutation test with random pseudo-treatments (batched FWL)',
  options: placeboOptions,
  async run(ctx, opts) {
    const compute = await computeContextFor(ctx.backend);
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    const rows: Cell[][] = [];
    const tables: Record<string, DataTable> = {};
    try {
      for (const [i, outcome] of opts.outcomes.entries()) {
        ctx.progress({ step: `placebo draws ${outcome}`, fraction: i / opts.outcomes.length, done: i * opts.draws, total: opts.outcomes.length * opts.draws });
        const res = await placeboTest(ctx.frame, {
          outcome,
          cohort: opts.cohort,
          controls: opts.controls,
          mode: opts.mode,
          draws: opts.draws,
          seed: ctx.seed + i,
          excludeTrueTreated: opts.excludeTrueTreated,
          se: opts.se,
          path: opts.path,
          ...(opts.cluster ? { cluster: opts.cluster } : {}),
          ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
          compute,
        });
        const s = res.summary;
        rows.push([outcome, res.estimate.beta, res.estimate.se, s.valid, s.mean, s.sd, s.quantiles.p05, s.quantiles.p95, s.shareP10, s.pTwoSided]);
        // every draw's coefficient, SE, t and p; the quantiles and shares are in summary
        results[outcome] = { estimate: res.estimate, summary: s, spec: res.spec, sample: res.sample, meta: res.meta, draws: res.draws };
        tables[`${outcome}.draws`] = dataTable(`one placebo draw (${outcome}); null: a degenerate draw`, { draw: Array.from({ length: res.draws.beta.length }, (_, k) => k), beta: res.draws.beta, se: res.draws.se, t: res.draws.t, p: res.draws.p });
        const beta = res.draws.beta.filter((b): b is number => b !== null);
        const p = res.draws.p?.filter((v): v is number => v !== null);
        const chart = await densityChart(beta, {
          title: `Placebo distribution: ${outcome}`,
          subtitle: `${s.valid} random pseudo-treatments (${opts.mode}); empirical two-sided p = ${s.pTwoSided.toFixed(3)}`,
          xTitle: 'placebo TWFE coefficient',
          actual: res.estimate.beta,
          ...(p && p.length === beta.length ? { pValues: p } : {}),
        });
        blocks.push({
          kind: 'figure',
          id: `${opts.id}-${outcome}`,
          caption: `${opts.figure}: ${outcome}, kernel density and histogram of ${s.valid} placebo coefficients with the real estimate marked; dots are the draws' p-values (right axis).`,
          svg: chart.svg,
          spec: chart.spec,
        });
      }
    } finally {
      await compute.dispose();
    }
    blocks.unshift({
      kind: 'table',
      id: `${opts.id}-summary`,
      table: {
        title: 'Placebo tests: real estimate against the permutation distribution',
        columns: ['outcome', 'real estimate', 'SE', 'valid draws', 'placebo mean', 'placebo SD', 'p5', 'p95', 'share p<0.1', 'empirical p'],
        rows,
        notes: [
          `Pseudo-treatments drawn with mode ${opts.mode}: ${opts.mode === 'A_units_true_timing' ? 'random units given the true adoption years (cohort sizes kept)' : opts.mode === 'B_units_random_timing' ? 'random units with random adoption years' : 'the true treated units with permuted adoption years'}. Empirical p = (1 + #{|b| >= |b_real|}) / (B + 1).`,
          'Each draw is the same TWFE regression with controls and city and year FE, computed by Frisch-Waugh-Lovell on the once-residualised outcome.',
        ],
      },
    });
    return { title: opts.title ?? 'Placebo tests', blocks, results, tables };
  },
});
