import { z } from 'zod';
import { did2s, didImputation, tidyRobust, type Did2sResult, type DidImputationResult } from '@panel-lab/did';
import type { Block } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { modelFromRobust } from '../../results/models.js';
import { analysisObject } from '../common.js';
import { alphaField, clusterField } from '../inference.js';
import { truthRows } from '../truth.js';
import { coefficientTable, jsonSafe, robustEventFigure } from './shared.js';

export const twoStageOptions = analysisObject('two_stage', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  fixedEffects: z.array(z.string().min(1)).min(1).optional().describe('first-stage fixed effects (default unit + time, as the library)'),
  cluster: clusterField.optional(),
  alpha: alphaField,
  eventStudy: z
    .object({
      ref: z.array(z.number().int()).default([-1]).describe('relative periods left out (default [-1], as the library); [] keeps every period (did2s ref = Inf)'),
      window: z.tuple([z.number().int(), z.number().int()]).optional().describe('bin relative periods outside [lo, hi] into the ends (default none)'),
    })
    .strict()
    .optional()
    .describe("did2s second stage as an event study (default: static ATT, as the library); its figure is added"),
  did2sInference: z.enum(['did2s', 'normal']).default('did2s').describe("did2s p-values and intervals: 't(n - K)' as the package ('did2s', default, as the library) or 'normal'"),
  horizons: z
    .union([z.literal(true), z.array(z.number().int().min(0)).min(1)])
    .optional()
    .describe('imputation: event-time horizons to report beside the static ATT; true = every observed horizon (default none, as the library)'),
  pretrends: z.number().int().min(0).default(0).describe('imputation: leads k = 1..K in the pre-trend test on untreated rows (default 0 = none, as the library)'),
  imputationInference: z.enum(['didimputation', 'normal']).default('didimputation').describe("imputation intervals: estimate ± 1.96 SE as the package ('didimputation', default, as the library) or the normal quantile of alpha"),
  caption: z.string().default('Two-stage DID and imputation'),
});

/** Gardner's did2s (GMM SEs) and the Borusyak-Jaravel-Spiess imputation estimator: static ATT, event studies, horizons and pre-trend leads. */
export const twoStageHandler = defineHandler({
  estimator: 'two_stage',
  description: 'did2s and the BJS imputation estimator (static ATT or event study, horizons, pre-trend leads)',
  options: twoStageOptions,
  async run(ctx, opts) {
    const g: { outcome: string; result: Did2sResult }[] = [];
    const b: { outcome: string; result: DidImputationResult }[] = [];
    const blocks: Block[] = [];
    const common = { controls: opts.controls, alpha: opts.alpha, ...(opts.fixedEffects ? { fixedEffects: opts.fixedEffects } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}) };
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `did2s and imputation ${outcome}`, fraction: i / opts.outcomes.length });
      const treatment = { cohort: opts.cohort };
      const secondStage = opts.eventStudy ? { eventStudy: { ref: opts.eventStudy.ref, ...(opts.eventStudy.window ? { window: opts.eventStudy.window } : {}) } } : ('static' as const);
      const d = did2s(ctx.frame, { outcome, treatment, ...common, secondStage, inference: opts.did2sInference });
      g.push({ outcome, result: d });
      b.push({ outcome, result: didImputation(ctx.frame, { outcome, treatment, ...common, pretrends: opts.pretrends, inference: opts.imputationInference, ...(opts.horizons !== undefined ? { horizons: opts.horizons } : {}) }) });
      if (opts.eventStudy) blocks.push(...(await robustEventFigure(`${opts.id}-${outcome}-did2s`, `${opts.caption}: did2s event study for ${outcome}.`, `did2s event study: ${outcome}`, d)));
    }
    blocks.unshift(
      coefficientTable(`${opts.id}-did2s`, `${opts.caption}: Gardner two-stage DID (first stage on untreated observations, GMM SEs)`, g),
      coefficientTable(`${opts.id}-bjs`, `${opts.caption}: Borusyak-Jaravel-Spiess imputation (${opts.horizons ? 'static ATT and horizons' : 'static ATT'}, conservative clustered SEs)`, b, b.flatMap(({ outcome, result }) => (result.pretrend ? [`${outcome}: pre-trend test on ${result.pretrend.leads.length} leads, F(${result.pretrend.df1}, ${result.pretrend.df2}) = ${result.pretrend.stat.toFixed(3)}, p = ${result.pretrend.pValue.toFixed(3)}.`] : []))),
    );
    const comparison = truthRows(ctx.truth, g.map((x) => ({ outcome: x.outcome, row: tidyRobust(x.result)[0]!, label: `did2s ATT, ${x.outcome}` })));
    if (comparison) blocks.push({ kind: 'comparison', id: `${opts.id}-truth`, title: 'Two-stage DID vs the true ATT', rows: comparison });
    return {
      title: opts.title ?? opts.caption,
      blocks,
      results: Object.fromEntries(
        g.map((x, i) => {
          const imp = b[i]!.result;
          return [x.outcome, jsonSafe({ did2s: tidyRobust(x.result), did2sVcov: x.result.vcov, did2sSpec: x.result.spec, firstStageControls: x.result.firstStageControls, drops: x.result.drops, imputation: tidyRobust(imp), imputationSpec: imp.spec, pretrend: imp.pretrend, imputationDrops: imp.drops })];
        }),
      ),
      models: [
        ...g.map((x) => modelFromRobust(`did2s: ${x.outcome}`, x.outcome, 'did2s', x.result.coefs, { vcov: x.result.vcov, seType: `GMM, clustered by ${x.result.spec.cluster}`, fixedEffects: x.result.spec.fixedEffects, nobs: x.result.nobs })),
        ...b.map((x) => modelFromRobust(`imputation: ${x.outcome}`, x.outcome, 'didImputation', x.result.coefs, { seType: `BJS conservative, clustered by ${x.result.spec.cluster}`, fixedEffects: x.result.spec.fixedEffects, nobs: x.result.nobs })),
      ],
    };
  },
});
