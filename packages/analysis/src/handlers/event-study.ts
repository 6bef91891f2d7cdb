import { z } from 'zod';
import { eventStudy, plotData, tidy, type EventStudyResult } from '@panel-lab/did';
import type { Block, ComparisonRow, Series } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';
import { eventStudyFigure } from './event-figure.js';
import { groundTruth } from './truth.js';
import { alphaField, clusterList, clustersField, weightsField } from './inference.js';
import { modelFromFeols, type ModelSummary } from '../results/models.js';
import { multipleTestingField } from './resampling/romano-wolf.js';
import { eventStudyAdjust, eventStudyAdjustCluster } from './resampling/adjust-event-study.js';

export const eventStudyOptions = analysisObject('event_study', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  window: z
    .tuple([z.number().int(), z.number().int()])
    .optional()
    .describe('inclusive event-time window [lo, hi]; default the full observed range, as the library (the seed uses [-4, 2], set explicitly in the main job)'),
  ref: z.number().int().default(-1).describe('reference (omitted) event time; default -1, as the library (the seed uses -4, set explicitly in the main job)'),
  endpoints: z.enum(['bin', 'trim']).default('bin').describe('bin: treated observations outside the window go to the end bins; trim: they are dropped'),
  cluster: clustersField.optional(),
  weights: weightsField.optional(),
  alpha: alphaField,
  simultaneousDraws: z
    .number()
    .int()
    .min(99)
    .optional()
    .describe('draws of a uniform (sup-t) band over the event-time coefficients, seeded from the analysis seed; default none, as the library'),
  figure: z.string().default('Event study'),
  adjust: multipleTestingField
    .optional()
    .describe("with several outcomes: Romano–Wolf / Westfall–Young p-values of the event-time coefficients across outcomes and event times (post-treatment effects one family, leads another; a table after the figures); the same shape as twfe's adjust"),
});

/** Event-study series from the plot data, reference period included at 0. */
export function eventSeries(name: string, result: EventStudyResult): Series {
  const pd = plotData(result);
  if (pd.kind !== 'event_study') throw new Error('event study: unexpected plot data');
  return { name, points: pd.series.map((p) => ({ x: p.x, estimate: p.estimate, lo: p.ref ? null : p.lo, hi: p.ref ? null : p.hi })) };
}

/** TWFE event study with relative-time dummies (seed 000 Figs 4-5), with the pre-trend Wald test. */
export const eventStudyHandler = defineHandler({
  estimator: 'event_study',
  description: 'TWFE event study (relative-time dummies, binned or trimmed endpoints) with a joint pre-trend test',
  options: eventStudyOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    const truth = groundTruth(ctx.truth);
    const fits: ModelSummary[] = [];
    const studies: EventStudyResult[] = [];
    // adjust's requirements fail before the fits, not after them
    const adjustCluster = opts.adjust ? eventStudyAdjustCluster(ctx, { outcomes: opts.outcomes.length, cluster: clusterList(opts.cluster), weights: opts.weights }) : null;
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `event study ${outcome}`, fraction: i / opts.outcomes.length });
      const es = eventStudy(ctx.frame, {
        outcome,
        treatment: { cohort: opts.cohort },
        ...(opts.window ? { window: opts.window } : {}),
        ref: opts.ref,
        endpoints: opts.endpoints,
        controls: opts.controls,
        alpha: opts.alpha,
        ...(opts.cluster ? { cluster: clusterList(opts.cluster) } : {}),
        ...(opts.weights ? { weights: opts.weights } : {}),
        ...(opts.simultaneousDraws ? { simultaneous: { seed: ctx.seed + i, draws: opts.simultaneousDraws } } : {}),
      });
      fits.push(modelFromFeols(outcome, es.fit, 'eventStudy', opts.alpha));
      studies.push(es);
      // the regression behind the coefficients: control coefficients and the full vcov included
      results[outcome] = { tidy: tidy(es), pretest: es.pretest, drops: es.drops, spec: es.spec, critValSimult: es.critValSimult, fit: { formula: es.fit.formula, coefficients: Object.fromEntries(es.fit.coefNames.map((n, k) => [n, { estimate: es.fit.coefficients[k], se: es.fit.se[k] }])), vcov: es.fit.vcov, vcovLabel: es.fit.vcovLabel, nobs: es.fit.nobs, r2: es.fit.r2, withinR2: es.fit.withinR2 } };
      const pre = es.pretest;
      const window = es.spec.window; // the library's full observed range when the spec gives none
      blocks.push(await eventStudyFigure(outcome, [eventSeries('TWFE event study', es)], {
        id: `${opts.id}-${outcome}`,
        title: `Event study: ${outcome}`,
        subtitle: `reference period ${opts.ref}; ${Math.round(100 * (1 - opts.alpha))}% CIs clustered by ${opts.cluster ? clusterList(opts.cluster)!.join(', ') : 'unit'}`,
        xTitle: 'years relative to treatment',
        caption: `${opts.figure}: ${outcome}, ${opts.window ? `event window ${window[0]}..${window[1]} (${opts.endpoints === 'bin' ? 'endpoints binned' : 'observations outside trimmed'})` : `full observed event window ${window[0]}..${window[1]}`}, reference ${opts.ref}.${pre ? ` Joint pre-trend test: F(${pre.df1}, ${pre.df2}) = ${pre.f.toFixed(2)}, p = ${pre.pValue.toFixed(3)}.` : ''}`,
      }));
      const trueEs = truth?.eventStudy.filter((r) => r.outcome === outcome);
      if (trueEs && trueEs.length) {
        // The true dynamic effect relative to the reference period, comparable with the coefficients; end bins pool several event times.
        const binned = opts.endpoints === 'bin' && opts.window !== undefined;
        const refTruth = trueEs.find((r) => r.eventTime === opts.ref)?.att ?? 0;
        const rows: ComparisonRow[] = es.coefs
          .filter((c) => !binned || (c.eventTime > window[0] && c.eventTime < window[1]))
          .flatMap((c) => {
            const t = trueEs.find((r) => r.eventTime === c.eventTime);
            return t ? [{ quantity: `${outcome}, e = ${c.eventTime}`, estimate: c.estimate, truth: t.att - refTruth, std_error: c.se, conf_low: c.confLow, conf_high: c.confHigh }] : [];
          });
        if (rows.length) blocks.push({ kind: 'comparison', id: `${opts.id}-${outcome}-truth`, title: `Event-study coefficients vs the true dynamic effect: ${outcome}`, rows });
      }
    }
    if (opts.adjust && adjustCluster) {
      const adjusted = await eventStudyAdjust(ctx, {
        id: opts.id,
        adjust: opts.adjust,
        design: { treatment: { cohort: opts.cohort }, ...(opts.window ? { window: opts.window } : {}), ref: opts.ref, endpoints: opts.endpoints, controls: opts.controls },
        cluster: adjustCluster,
        fits: studies,
      });
      blocks.push(adjusted.block);
      results['adjust'] = adjusted.result;
    }
    return { title: opts.title ?? 'Event study', blocks, results, models: fits };
  },
});
