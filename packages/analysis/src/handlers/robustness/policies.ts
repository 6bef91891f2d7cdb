import { z } from 'zod';
import { policyRobustness } from '@panel-lab/did';
import type { Cell } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { alphaField, clusterList, clustersField } from '../inference.js';
import { jsonSafe } from './shared.js';
import { modelFromRobust, type ModelSummary } from '../../results/models.js';

export const policiesOptions = analysisObject('policy_robustness', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  otherPolicies: z.array(z.object({ name: z.string().min(1), yearColumn: z.string().min(1) }).strict()).default([]),
  uniformYear: z.number().int().optional().describe('alternative timing: every treated unit adopts in this year'),
  cluster: clustersField.optional(),
  alpha: alphaField,
  caption: z.string().default('Other policies and alternative timing'),
});

/** Baseline vs other policies as controls vs the uniform-timing coding (seed 000 Table 8 cols 2-3, 5-6). */
export const policiesHandler = defineHandler({
  estimator: 'policy_robustness',
  description: 'TWFE with other policies as controls and with an alternative (uniform) adoption year',
  options: policiesOptions,
  async run(ctx, opts) {
    const rows: Cell[][] = [];
    const results: Record<string, unknown> = {};
    const models: ModelSummary[] = [];
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `policies ${outcome}`, fraction: i / opts.outcomes.length });
      const r = policyRobustness(ctx.frame, {
        outcome,
        treatment: { cohort: opts.cohort },
        controls: opts.controls,
        alpha: opts.alpha,
        ...(opts.cluster ? { cluster: clusterList(opts.cluster) } : {}),
        otherPolicies: opts.otherPolicies,
        ...(opts.uniformYear !== undefined ? { uniformYear: opts.uniformYear } : {}),
      });
      results[outcome] = jsonSafe(r.coefs);
      // one regression-table column per specification
      for (const spec of ['baseline', 'other_policies', 'alternative_timing'] as const) {
        const coefs = r.coefs.filter((c) => c.specification === spec);
        if (coefs.length) models.push(modelFromRobust(`${outcome}: ${spec.replace('_', ' ')}`, outcome, 'policyRobustness', coefs, { seType: `clustered by ${opts.cluster ? clusterList(opts.cluster)!.join(', ') : 'unit'}`, fixedEffects: [ctx.frame.schema.unit, ctx.frame.schema.time], nobs: coefs[0]!.n }));
      }
      for (const c of r.coefs) rows.push([outcome, c.specification, c.term, c.estimate, c.se, c.pValue, c.n]);
    }
    return {
      models,
      title: opts.title ?? opts.caption,
      blocks: [
        {
          kind: 'table',
          id: opts.id,
          table: {
            title: opts.caption,
            columns: ['outcome', 'specification', 'term', 'estimate', 'SE', 'p', 'N'],
            rows,
            notes: [
              `Other policies entered as post-adoption dummies: ${opts.otherPolicies.map((p) => `${p.name} (${p.yearColumn})`).join(', ') || 'none'}.`,
              ...(opts.uniformYear !== undefined ? [`Alternative timing: every pilot city coded as treated from ${opts.uniformYear} (a single-cohort DID).`] : []),
            ],
          },
        },
      ],
      results,
    };
  },
});
