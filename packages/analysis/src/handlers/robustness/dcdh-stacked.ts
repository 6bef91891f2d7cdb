import { z } from 'zod';
import { didMultiplegtDyn, stackedDid, twowayFeWeights, type DidMultiplegtDynResult, type StackedDidResult } from '@panel-lab/did';
import type { Block, Cell } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { alphaField, clusterField, weightsField } from '../inference.js';
import { coefficientTable, jsonSafe, robustEventFigure } from './shared.js';
import { AnalysisInputError } from '../../failure.js';
import { modelFromRobust } from '../../results/models.js';

export const dcdhStackedOptions = analysisObject('dcdh_stacked', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  treatment: z.string().min(1).optional().describe("0/1 treatment column of the TWFE weights diagnostic (needed only when parts include 'weights')"),
  parts: z
    .array(z.enum(['dcdh', 'stacked', 'weights']))
    .min(1)
    .default(['dcdh', 'stacked', 'weights'])
    .describe("what to run: dCdH effects and placebos, stacked DID (static and event study), the TWFE weights diagnostic (default all three, as the seed; 'weights' needs treatment)"),
  controls: z.array(z.string().min(1)).default([]),
  effects: z.number().int().min(1).default(3).describe("dCdH dynamic effects 1..effects (trimmed to what the data identify); default 3 as the seed, while the library's didMultiplegtDyn defaults to 1"),
  placebos: z.number().int().min(0).default(3).describe("dCdH placebos; default 3 as the seed, while the library defaults to 0"),
  kappaPre: z.number().int().min(1).default(4).describe('stacked DID event window starts at -kappaPre (library default 4)'),
  kappaPost: z.number().int().min(0).default(2).describe('stacked DID event window ends at kappaPost (library default 2)'),
  weights: weightsField.optional().describe('dCdH cell weights N_gt (default 1, as the library)'),
  averageTotalEffectN: z.enum(['did_multiplegt_dyn', 'sum_of_effects']).default('did_multiplegt_dyn').describe("dCdH average total effect's N (default 'did_multiplegt_dyn', as the library)"),
  stackedWeighted: z.boolean().default(true).describe('stacked DID with the Wing-Freedman-Hollingsworth corrective weights (default true, as the library)'),
  cluster: clusterField.optional(),
  alpha: alphaField,
  figure: z.string().default('Heterogeneity-robust event studies'),
});

/** de Chaisemartin-D'Haultfoeuille dynamic effects, TWFE weights, stacked DID (seed 000 Table 9, Figs 9-10). */
export const dcdhStackedHandler = defineHandler({
  estimator: 'dcdh_stacked',
  description: "de Chaisemartin-D'Haultfoeuille effects and placebos, TWFE negative-weights diagnostic, stacked DID",
  options: dcdhStackedOptions,
  async run(ctx, opts) {
    if (opts.parts.includes('weights') && !opts.treatment) throw new AnalysisInputError("option parts includes 'weights' (the TWFE weights diagnostic), which needs option treatment (a 0/1 column); give treatment or leave 'weights' out of parts");
    const blocks: Block[] = [];
    const dcdh: { outcome: string; result: DidMultiplegtDynResult }[] = [];
    const stacked: { outcome: string; result: StackedDidResult }[] = [];
    const weightRows: Cell[][] = [];
    const results: Record<string, unknown> = {};
    const common = { alpha: opts.alpha, ...(opts.cluster ? { cluster: opts.cluster } : {}) };
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `dCdH and stacked ${outcome}`, fraction: i / opts.outcomes.length });
      const treatment = { cohort: opts.cohort };
      const out: Record<string, unknown> = {};
      if (opts.parts.includes('dcdh')) {
        const d = didMultiplegtDyn(ctx.frame, { outcome, treatment, effects: opts.effects, placebo: opts.placebos, averageTotalEffectN: opts.averageTotalEffectN, ...common, ...(opts.weights ? { weights: opts.weights } : {}) });
        dcdh.push({ outcome, result: d });
        out.dcdh = d;
        blocks.push(...(await robustEventFigure(`${opts.id}-${outcome}-dcdh`, `${opts.figure}: de Chaisemartin-D'Haultfoeuille effects and placebos for ${outcome}, relative to the period before the switch (seed 000, Fig. 9).`, `dCdH event study: ${outcome}`, d)));
      }
      if (opts.parts.includes('stacked')) {
        const stackedOpts = { outcome, treatment, kappaPre: opts.kappaPre, kappaPost: opts.kappaPost, controls: opts.controls, weighted: opts.stackedWeighted, ...common };
        const s = stackedDid(ctx.frame, { ...stackedOpts, type: 'static' });
        const se = stackedDid(ctx.frame, { ...stackedOpts, type: 'event_study' });
        stacked.push({ outcome, result: s });
        out.stacked = s;
        out.stackedEventStudy = se;
        blocks.push(...(await robustEventFigure(`${opts.id}-${outcome}-stacked`, `${opts.figure}: stacked event study (clean controls${opts.stackedWeighted ? ', WFH weights' : ', unweighted'}) for ${outcome}, window -${opts.kappaPre}..${opts.kappaPost} (seed 000, Fig. 10).`, `Stacked event study: ${outcome}`, se)));
      }
      if (opts.parts.includes('weights')) {
        const w = twowayFeWeights(ctx.frame, { outcome, treatment: opts.treatment!, controls: opts.controls });
        weightRows.push([outcome, w.beta, w.nTreatedCells, w.nPositive, w.nNegative, w.sumPositive, w.sumNegative]);
        out.weights = { beta: w.beta, nTreatedCells: w.nTreatedCells, nPositive: w.nPositive, nNegative: w.nNegative, sumPositive: w.sumPositive, sumNegative: w.sumNegative, cells: w.cells };
      }
      results[outcome] = jsonSafe(out);
    }
    const tables: Block[] = [];
    if (dcdh.length) tables.push(coefficientTable(`${opts.id}-dcdh`, "Seed 000, Table 9 (a): de Chaisemartin-D'Haultfoeuille dynamic effects and placebos", dcdh, ['Analytic SEs clustered by unit, as did_multiplegt_dyn.']));
    if (stacked.length) tables.push(coefficientTable(`${opts.id}-stacked`, `Seed 000, Table 9 (b): stacked DID (Cengiz et al.${opts.stackedWeighted ? '; Wing-Freedman-Hollingsworth corrective weights' : ', unweighted'})`, stacked));
    if (weightRows.length) {
      tables.push({
        kind: 'table',
        id: `${opts.id}-weights`,
        table: { title: 'TWFE weights diagnostic (twowayfeweights, feTR)', columns: ['outcome', 'TWFE beta', 'treated cells', 'positive weights', 'negative weights', 'sum positive', 'sum negative'], rows: weightRows },
      });
    }
    blocks.unshift(...tables);
    return {
      title: opts.title ?? 'dCdH and stacked DID',
      blocks,
      results,
      models: [
        ...dcdh.map((x) => modelFromRobust(`dCdH: ${x.outcome}`, x.outcome, 'didMultiplegtDyn', [...x.result.placebos, ...x.result.effects, x.result.averageTotalEffect], { seType: 'analytic, clustered' })),
        ...stacked.map((x) => modelFromRobust(`stacked: ${x.outcome}`, x.outcome, 'stackedDid', x.result.coefs, { seType: 'clustered' })),
      ],
    };
  },
});
