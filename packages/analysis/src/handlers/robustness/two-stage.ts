import { z } from 'zod';
import { did2s, didImputation, tidyRobust, type RobustEstimate } from '@panel-lab/did';
import type { Block } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { truthRows } from '../truth.js';
import { coefficientTable, jsonSafe } from './shared.js';

export const twoStageOptions = analysisObject('two_stage', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  caption: z.string().default('Two-stage DID and imputation'),
});

/** Gardner's did2s (GMM SEs) and the Borusyak-Jaravel-Spiess imputation estimator, static ATT. */
export const twoStageHandler = defineHandler({
  estimator: 'two_stage',
  description: 'did2s and the BJS imputation estimator (static ATT)',
  options: twoStageOptions,
  async run(ctx, opts) {
    const g: { outcome: string; result: RobustEstimate }[] = [];
    const b: { outcome: string; result: RobustEstimate }[] = [];
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `did2s and imputation ${outcome}`, fraction: i / opts.outcomes.length });
      g.push({ outcome, result: did2s(ctx.frame, { outcome, treatment: { cohort: opts.cohort }, controls: opts.controls }) });
      b.push({ outcome, result: didImputation(ctx.frame, { outcome, treatment: { cohort: opts.cohort }, controls: opts.controls }) });
    }
    const blocks: Block[] = [
      coefficientTable(`${opts.id}-did2s`, `${opts.caption}: Gardner two-stage DID (first stage on untreated observations, GMM SEs)`, g),
      coefficientTable(`${opts.id}-bjs`, `${opts.caption}: Borusyak-Jaravel-Spiess imputation (static ATT, conservative clustered SEs)`, b),
    ];
    const comparison = truthRows(ctx.truth, g.map((x) => ({ outcome: x.outcome, row: tidyRobust(x.result)[0]!, label: `did2s ATT, ${x.outcome}` })));
    if (comparison) blocks.push({ kind: 'comparison', id: `${opts.id}-truth`, title: 'Two-stage DID vs the true ATT', rows: comparison });
    return { title: opts.title ?? opts.caption, blocks, results: Object.fromEntries(g.map((x, i) => [x.outcome, jsonSafe({ did2s: tidyRobust(x.result), imputation: tidyRobust(b[i]!.result) })])) };
  },
});
