import { z } from 'zod';
import { romanoWolf, type MultipleTestingResult } from '@panel-lab/resample';
import type { Block, Cell } from '@panel-lab/report';
import { defineHandler, type AnalysisContext } from '../../handler.js';
import { AnalysisInputError } from '../../failure.js';
import { analysisObject } from '../common.js';
import { dataTable, type DataTable } from '../../results/tables.js';

const weightsField = z
  .enum(['rademacher', 'webb'])
  .default('webb')
  .describe("bootstrap weights, one vector per draw shared by every outcome; default 'webb' (few clusters), the library defaults to 'rademacher'");
const drawsField = z.number().int().min(99).default(9999);

/** `adjust` on an analysis with several outcomes: adjusted p-values of the treatment across them. */
export const multipleTestingField = z
  .object({
    method: z.literal('romano_wolf').describe('Romano–Wolf stepdown; Westfall–Young maxT and stepdown minP come with it from the same draws'),
    draws: drawsField,
    weights: weightsField,
  })
  .strict()
  .describe('multiple testing across the outcomes by wild cluster restricted bootstrap (seed from the run)');
export type MultipleTestingSpec = z.infer<typeof multipleTestingField>;

export interface MultipleTestingRequest {
  readonly id: string;
  readonly outcomes: readonly string[];
  readonly treatment: string;
  readonly controls: readonly string[];
  readonly cluster: string;
  readonly draws: number;
  readonly weights: 'rademacher' | 'webb';
  /** The analysis's progress when the bootstrap starts (after a handler's own fits: never back to 0). */
  readonly startFraction?: number;
}

/** The adjusted p-values as a report table (one row per outcome) plus the result and its t* draws. */
export async function multipleTestingBlock(ctx: AnalysisContext, req: MultipleTestingRequest): Promise<{ block: Block; result: Omit<MultipleTestingResult, 'rows'> & { rows: unknown[] }; tables: Record<string, DataTable> }> {
  ctx.progress({ step: `Romano–Wolf over ${req.outcomes.length} outcomes`, fraction: req.startFraction ?? 0 });
  let res: MultipleTestingResult;
  try {
    res = await romanoWolf(ctx.frame, { outcomes: req.outcomes, coefficient: req.treatment, controls: req.controls, cluster: req.cluster, weights: req.weights, draws: req.draws, seed: ctx.seed, keepDraws: true });
  } catch (e) {
    // the library names the option; the spec user needs the analysis too
    throw new AnalysisInputError(`multiple testing (${req.id}): ${(e as Error).message}`);
  }
  const rows: Cell[][] = res.rows.map((r) => [r.outcome, r.estimate, r.se, r.statistic, r.pValue, r.pRomanoWolf, r.pWestfallYoung, r.pWestfallYoungMinP]);
  const tables: Record<string, DataTable> = {};
  const draw = Array.from({ length: res.spec.draws }, (_, k) => k);
  tables['adjust.draws'] = dataTable('one bootstrap draw: the restricted t statistic of every outcome (shared weights)', Object.fromEntries([['draw', draw], ...res.rows.map((r) => [`t_star_${r.outcome}`, r.tStar!])]));
  const block: Block = {
    kind: 'table',
    id: `${req.id}-adjust`,
    table: {
      title: `Multiple testing across ${req.outcomes.length} outcomes (wild cluster bootstrap, clusters = ${req.cluster})`,
      columns: ['outcome', 'estimate', 'CR1 SE', 't', 'WCR p', 'Romano–Wolf p', 'Westfall–Young p (maxT)', 'Westfall–Young p (minP)'],
      rows,
      notes: [
        `Restricted wild cluster bootstrap of ${req.treatment} = 0 (${req.weights} weights, ${res.spec.draws} draws${res.enumerated ? ', all sign vectors' : ''}, seed ${ctx.seed}); every draw uses one weight per cluster shared by all outcomes, so their dependence is kept.`,
        'Romano–Wolf: stepdown over the outcomes by |t| (max |t*| over those not yet rejected); Westfall–Young maxT: single step over all; minP: stepdown over the draws\' marginal p-values. Each controls the familywise error rate across the outcomes.',
        ...res.rows.filter((r) => r.drawsDegenerate > 0).map((r) => `${r.outcome}: ${r.drawsDegenerate} draws with a zero bootstrap score (counted as exceeding).`),
      ],
    },
  };
  const { rows: kept, ...rest } = res;
  return { block, result: { ...rest, rows: kept.map(({ tStar: _t, ...r }) => r) }, tables };
}

export const romanoWolfOptions = analysisObject('romano_wolf', {
  outcomes: z.array(z.string().min(1)).min(2).describe('the outcomes tested together (two or more)'),
  treatment: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  cluster: z.string().min(1).optional().describe('cluster variable (default: the unit column)'),
  weights: weightsField,
  draws: drawsField,
});

/** Romano–Wolf / Westfall–Young adjusted p-values of a TWFE coefficient across several outcomes. */
export const romanoWolfHandler = defineHandler({
  estimator: 'romano_wolf',
  description: 'Romano–Wolf and Westfall–Young adjusted p-values of a TWFE coefficient across outcomes (wild cluster restricted bootstrap, shared weights)',
  options: romanoWolfOptions,
  async run(ctx, opts) {
    const { block, result, tables } = await multipleTestingBlock(ctx, { id: opts.id, outcomes: opts.outcomes, treatment: opts.treatment, controls: opts.controls, cluster: opts.cluster ?? ctx.frame.schema.unit, draws: opts.draws, weights: opts.weights });
    return { title: opts.title ?? 'Multiple testing across outcomes', blocks: [block], results: { adjust: result }, tables };
  },
});
