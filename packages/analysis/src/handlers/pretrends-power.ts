import { z } from 'zod';
import { pretrendsAnalysis, pretrendsInputFromEventStudy, type PretrendsAnalysisResult, type PretrendsInput } from '@panel-lab/did';
import type { Block, Series } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';
import { eventStudyFigure } from './event-figure.js';
import { referenceEventStudy } from './reference-event-study.js';
import { alphaField, clustersField, weightsField } from './inference.js';

export const pretrendsPowerOptions = analysisObject('pretrends_power', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  window: z.tuple([z.number().int(), z.number().int()]).optional().describe('event-time window of the underlying TWFE event study (as event_study); reference period -1'),
  endpoints: z.enum(['bin', 'trim']).default('bin'),
  cluster: clustersField.optional(),
  weights: weightsField.optional(),
  alpha: alphaField.describe('size of each pre-period t-test of the pre-test (default 0.05: pass when every |t| <= 1.96) and level of the event-study CIs'),
  powers: z.array(z.number().gt(0).lt(1)).min(1).default([0.5, 0.8]).describe('powers for which the linear-trend slope is found (default 0.5 and 0.8, as Roth 2022)'),
  slopes: z.array(z.number()).default([]).describe('further hypothesised linear-trend slopes (per period) to evaluate'),
  points: z.number().int().min(256).default(32768).describe('lattice points per shift of the multivariate normal integration (default 32768)'),
  shifts: z.number().int().min(2).default(10).describe('random lattice shifts: their spread gives the reported integration error (default 10)'),
  figure: z.string().default('Pre-trends power'),
});

const fmt = (v: number) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3));

function figureSeries(input: PretrendsInput, res: PretrendsAnalysisResult, alphaCrit: number): Series[] {
  const se = input.sigma.map((r, i) => Math.sqrt(r[i]!));
  const ref = input.referencePeriod;
  const est: Series = {
    name: 'event-study estimate',
    points: [{ x: ref, estimate: 0, lo: null, hi: null }, ...input.eventTimes.map((t, i) => ({ x: t, estimate: input.betahat[i]!, lo: input.betahat[i]! - alphaCrit * se[i]!, hi: input.betahat[i]! + alphaCrit * se[i]! }))].sort((a, b) => a.x - b.x),
  };
  const last = res.atSlope.filter((r) => r.source === 'power').at(-1);
  if (!last) return [est];
  const power = Math.round(100 * last.power);
  const trend: Series = { name: `linear trend with ${power}% power`, points: [{ x: ref, estimate: 0 }, ...input.eventTimes.map((t, i) => ({ x: t, estimate: last.delta[i]! }))].sort((a, b) => a.x - b.x) };
  const cond: Series = { name: `expected estimate under that trend after passing the pre-test`, points: [{ x: ref, estimate: 0 }, ...input.eventTimes.map((t, i) => ({ x: t, estimate: last.meanAfterPretest[i]! }))].sort((a, b) => a.x - b.x) };
  return [est, trend, cond];
}

/** Roth (2022) power of the pre-test of a TWFE event study against linear violations of parallel trends. */
export const pretrendsPowerHandler = defineHandler({
  estimator: 'pretrends_power',
  description: "Pre-trends power (Roth 2022): the linear trend the pre-test detects with given power, and the pre-test's power, Bayes factor, likelihood ratio and post-pretest bias under it",
  options: pretrendsPowerOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `pretrends_power ${outcome}`, fraction: i / opts.outcomes.length });
      const es = referenceEventStudy(ctx.frame, outcome, opts);
      const input = pretrendsInputFromEventStudy(es);
      const res = pretrendsAnalysis(input, { powers: opts.powers, slopes: opts.slopes, alpha: opts.alpha, points: opts.points, shifts: opts.shifts, seed: ctx.seed });
      results[outcome] = { input, ...res };
      blocks.push(await eventStudyFigure(outcome, figureSeries(input, res, res.criticalValue), {
        id: `${opts.id}-${outcome}`,
        title: `Pre-trends power: ${outcome}`,
        subtitle: `TWFE event study, reference -1; pre-test: every pre-period |t| <= ${res.criticalValue.toFixed(2)}`,
        xTitle: 'periods relative to treatment',
        caption: `${opts.figure}: ${outcome}. The pre-test passes with probability ${fmt(res.probPassUnderParallel)} under parallel trends. ${res.slopeForPower.map((r) => `A linear trend of slope ${fmt(r.slope)} per period is detected with probability ${Math.round(100 * r.targetPower)}%`).join('; ')} (Roth 2022; multivariate normal probabilities on a seeded lattice, ${res.settings.points} points x ${res.settings.shifts} shifts).`,
      }));
      const postTimes = res.atSlope[0]?.post.map((p) => p.eventTime) ?? [];
      blocks.push({
        kind: 'table',
        id: `${opts.id}-${outcome}-table`,
        table: {
          title: `Pre-trends power: ${outcome}`,
          columns: ['hypothesised slope', 'power', 'Bayes factor', 'likelihood ratio', ...postTimes.map((t) => `bias t=${t}`), ...postTimes.map((t) => `bias t=${t} after pretest`)],
          rows: res.atSlope.map((r) => [fmt(r.slope), r.power, r.bayesFactor, r.likelihoodRatio, ...r.post.map((p) => p.bias), ...r.post.map((p) => p.biasAfterPretest)]),
          notes: [
            'Trend delta_t = slope x (t + 1) (zero at the reference -1); power = P(some pre-period |t| > critical value | delta).',
            'Bayes factor = P(pass | delta) / P(pass | parallel trends); likelihood ratio = density of the observed pre-period estimates under delta relative to parallel trends.',
            'Bias after pretest = E[post-period estimate - effect | pre-test passed] under delta (Roth 2022, eq. for the conditional mean).',
            `Integration error (3.5 SE across lattice shifts) of the power: at most ${Math.max(...res.atSlope.map((r) => 3.5 * r.powerStandardError)).toExponential(1)}.`,
          ],
        },
      });
    }
    return { title: opts.title ?? 'Pre-trends power', blocks, results };
  },
});
