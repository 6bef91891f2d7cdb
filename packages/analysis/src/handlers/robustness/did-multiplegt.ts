import { z } from 'zod';
import { didMultiplegt, type DidMultiplegtResult } from '@panel-lab/did';
import { defineHandler } from '../../handler.js';
import { modelFromRobust } from '../../results/models.js';
import { analysisObject } from '../common.js';
import { alphaField, clusterField, weightsField } from '../inference.js';
import { coefficientTable, jsonSafe, robustEventFigure } from './shared.js';

export const didMultiplegtOptions = analysisObject('did_multiplegt', {
  outcomes: z.array(z.string().min(1)).min(1),
  treatment: z.string().min(1).describe('0/1 treatment column (switching on and off allowed)'),
  placebo: z.number().int().min(0).default(0).describe('number of placebos (default 0, as the library)'),
  weights: weightsField.optional().describe('cell weights N_gt (default 1, as the library)'),
  bootstrap: z.number().int().min(0).default(200).describe('bootstrap replications for the SEs (default 200, as the library; 0 = point estimates only), seeded from the analysis seed'),
  cluster: clusterField.optional().describe('column nesting units for the block bootstrap (default the unit, as the library)'),
  alpha: alphaField,
  caption: z.string().default("de Chaisemartin-D'Haultfoeuille DID_M"),
});

/** de Chaisemartin and D'Haultfoeuille (2020) DID_M with placebos (the did_multiplegt command), for treatments that switch on and off. */
export const didMultiplegtHandler = defineHandler({
  estimator: 'did_multiplegt',
  description: "de Chaisemartin-D'Haultfoeuille DID_M (switchers in and out) with placebos and bootstrap SEs",
  options: didMultiplegtOptions,
  async run(ctx, opts) {
    const fits: { outcome: string; result: DidMultiplegtResult }[] = [];
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `DID_M ${outcome}`, fraction: i / opts.outcomes.length });
      fits.push({ outcome, result: didMultiplegt(ctx.frame, { outcome, treatment: opts.treatment, placebo: opts.placebo, bootstrap: opts.bootstrap, seed: ctx.seed + i, alpha: opts.alpha, ...(opts.weights ? { weights: opts.weights } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}) }) });
    }
    const figures = opts.placebo > 0 ? (await Promise.all(fits.map((f) => robustEventFigure(`${opts.id}-${f.outcome}`, `${opts.caption}: effect and placebos for ${f.outcome}.`, `DID_M: ${f.outcome}`, f.result)))).flat() : [];
    return {
      title: opts.title ?? opts.caption,
      blocks: [coefficientTable(opts.id, opts.caption, fits, [`SEs from ${opts.bootstrap} bootstrap replications (blocks: ${opts.cluster ?? 'units'}).`, ...fits.filter((f) => f.result.bootstrapFailures > 0).map((f) => `${f.outcome}: ${f.result.bootstrapFailures} bootstrap replications failed and were left out.`)]), ...figures],
      results: Object.fromEntries(fits.map((f) => [f.outcome, jsonSafe(f.result)])),
      models: fits.map((f) => modelFromRobust(f.outcome, f.outcome, 'didMultiplegt', f.result.coefs, { seType: `bootstrap (${opts.bootstrap})` })),
    };
  },
});
