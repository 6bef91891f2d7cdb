import { z } from 'zod';
import { MECHANISM_CAVEAT, mechanismTest, type RobustEstimate } from '@panel-lab/did';
import type { Block, Cell } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { alphaField, clusterField } from '../inference.js';
import { coefficientTable, jsonSafe } from './shared.js';

export const mechanismOptions = analysisObject('mechanism', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  mediators: z.array(z.string().min(1)).min(1),
  controls: z.array(z.string().min(1)).default([]),
  step3: z.enum(['M_only', 'D_and_M']).default('M_only'),
  bootstrap: z.number().int().min(0).default(1000),
  cluster: clusterField.optional(),
  alpha: alphaField,
  caption: z.string().default('Mechanisms'),
});

/** The seed's three-step mediation regressions, Sobel tests, with the caveat and the recommended alternative (Table 14). */
export const mechanismHandler = defineHandler({
  estimator: 'mechanism',
  description: 'three-step mediation regressions with Sobel and bootstrap CIs, printed with their caveat',
  options: mechanismOptions,
  async run(ctx, opts) {
    const fits: { outcome: string; result: RobustEstimate }[] = [];
    const rows: Cell[][] = [];
    const failures: string[] = [];
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `mechanisms ${outcome}`, fraction: i / opts.outcomes.length });
      const total = opts.outcomes.length * opts.mediators.length * opts.bootstrap;
      const onProgress = (done: number, perOutcome: number) =>
        ctx.progress({ step: `mechanisms ${outcome}: bootstrap draws`, fraction: (i + done / perOutcome) / opts.outcomes.length, done: i * perOutcome + done, total });
      const r = mechanismTest(ctx.frame, { outcome, treatment: { cohort: opts.cohort }, mediators: opts.mediators, controls: opts.controls, step3: opts.step3, bootstrap: opts.bootstrap, seed: ctx.seed + i, onProgress, alpha: opts.alpha, ...(opts.cluster ? { cluster: opts.cluster } : {}) });
      fits.push({ outcome, result: r });
      for (const m of r.mediators) {
        const ci = m.bootstrapCi;
        rows.push([outcome, m.mediator, m.a.estimate, m.b.estimate, m.indirect, m.sobel.z, m.sobel.pValue, ci?.low ?? null, ci?.high ?? null, ci ? `${ci.draws} of ${ci.requested}` : 'none']);
        if (ci && ci.failures.count > 0) failures.push(`${outcome} / ${m.mediator}: ${ci.failures.count} of ${ci.requested} bootstrap draws failed (${ci.failures.messages.join('; ')})`);
      }
    }
    const blocks: Block[] = [
      { kind: 'text', paragraphs: [MECHANISM_CAVEAT] },
      coefficientTable(`${opts.id}-steps`, `${opts.caption}: step regressions (D on M; ${opts.step3 === 'M_only' ? 'Y on M, as the seed' : 'Y on D and M, Baron-Kenny'}; each mediator as an outcome of the imputation estimator)`, fits),
      { kind: 'table', id: `${opts.id}-sobel`, table: { title: 'Indirect effects a x b and Sobel tests', columns: ['outcome', 'mediator', 'a (D on M)', 'b (M on Y)', 'a x b', 'Sobel z', 'Sobel p', 'bootstrap CI low', 'bootstrap CI high', 'draws used'], rows } },
      ...(failures.length ? [{ kind: 'text' as const, paragraphs: ['Failed bootstrap draws (left out of the percentile CI):', ...failures] }] : []),
    ];
    return { title: opts.title ?? opts.caption, blocks, results: Object.fromEntries(fits.map((f) => [f.outcome, jsonSafe(f.result)])) };
  },
});
