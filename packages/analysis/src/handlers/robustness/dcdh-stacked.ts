import { z } from 'zod';
import { didMultiplegtDyn, stackedDid, twowayFeWeights, type RobustEstimate } from '@panel-lab/did';
import type { Block, Cell } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { coefficientTable, jsonSafe, robustEventFigure } from './shared.js';

export const dcdhStackedOptions = analysisObject('dcdh_stacked', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  treatment: z.string().min(1).describe('0/1 treatment column for the TWFE weights diagnostic (required: this analysis always runs dCdH, stacked DID (static and event study, WFH weights) and the weights diagnostic together)'),
  controls: z.array(z.string().min(1)).default([]),
  effects: z.number().int().min(1).default(3).describe("dCdH dynamic effects 1..effects (trimmed to what the data identify); default 3 as the seed, while the library's didMultiplegtDyn defaults to 1"),
  placebos: z.number().int().min(0).default(3).describe("dCdH placebos; default 3 as the seed, while the library defaults to 0"),
  kappaPre: z.number().int().min(1).default(4).describe('stacked DID event window starts at -kappaPre (library default 4)'),
  kappaPost: z.number().int().min(0).default(2).describe('stacked DID event window ends at kappaPost (library default 2)'),
  figure: z.string().default('Heterogeneity-robust event studies'),
});

/** de Chaisemartin-D'Haultfoeuille dynamic effects, TWFE weights, stacked DID (seed 000 Table 9, Figs 9-10). */
export const dcdhStackedHandler = defineHandler({
  estimator: 'dcdh_stacked',
  description: "de Chaisemartin-D'Haultfoeuille effects and placebos, TWFE negative-weights diagnostic, stacked DID",
  options: dcdhStackedOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const dcdh: { outcome: string; result: RobustEstimate }[] = [];
    const stacked: { outcome: string; result: RobustEstimate }[] = [];
    const weightRows: Cell[][] = [];
    const results: Record<string, unknown> = {};
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `dCdH and stacked ${outcome}`, fraction: i / opts.outcomes.length });
      const treatment = { cohort: opts.cohort };
      const d = didMultiplegtDyn(ctx.frame, { outcome, treatment, effects: opts.effects, placebo: opts.placebos });
      const s = stackedDid(ctx.frame, { outcome, treatment, kappaPre: opts.kappaPre, kappaPost: opts.kappaPost, type: 'static', controls: opts.controls });
      const se = stackedDid(ctx.frame, { outcome, treatment, kappaPre: opts.kappaPre, kappaPost: opts.kappaPost, type: 'event_study', controls: opts.controls });
      const w = twowayFeWeights(ctx.frame, { outcome, treatment: opts.treatment, controls: opts.controls });
      dcdh.push({ outcome, result: d });
      stacked.push({ outcome, result: s });
      weightRows.push([outcome, w.beta, w.nTreatedCells, w.nPositive, w.nNegative, w.sumPositive, w.sumNegative]);
      results[outcome] = jsonSafe({ dcdh: d, stacked: s, stackedEventStudy: se, weights: { beta: w.beta, nPositive: w.nPositive, nNegative: w.nNegative, sumNegative: w.sumNegative } });
      blocks.push(...(await robustEventFigure(`${opts.id}-${outcome}-dcdh`, `${opts.figure}: de Chaisemartin-D'Haultfoeuille effects and placebos for ${outcome}, relative to the period before the switch (seed 000, Fig. 9).`, `dCdH event study: ${outcome}`, d)));
      blocks.push(...(await robustEventFigure(`${opts.id}-${outcome}-stacked`, `${opts.figure}: stacked event study (clean controls, WFH weights) for ${outcome}, window -${opts.kappaPre}..${opts.kappaPost} (seed 000, Fig. 10).`, `Stacked event study: ${outcome}`, se)));
    }
    blocks.unshift(
      coefficientTable(`${opts.id}-dcdh`, "Seed 000, Table 9 (a): de Chaisemartin-D'Haultfoeuille dynamic effects and placebos", dcdh, ['Analytic SEs clustered by unit, as did_multiplegt_dyn.']),
      coefficientTable(`${opts.id}-stacked`, 'Seed 000, Table 9 (b): stacked DID (Cengiz et al.; Wing-Freedman-Hollingsworth corrective weights)', stacked),
      {
        kind: 'table',
        id: `${opts.id}-weights`,
        table: { title: 'TWFE weights diagnostic (twowayfeweights, feTR)', columns: ['outcome', 'TWFE beta', 'treated cells', 'positive weights', 'negative weights', 'sum positive', 'sum negative'], rows: weightRows },
      },
    );
    return { title: opts.title ?? "dCdH and stacked DID", blocks, results };
  },
});
