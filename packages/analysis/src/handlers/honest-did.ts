import { z } from 'zod';
import { aggte, attGt, did2s, didMultiplegtDyn, estimatesFromAggteDynamic, estimatesFromDid2s, estimatesFromDidMultiplegtDyn, estimatesFromEventStudy, estimatesFromSunAbraham, honestDid, sunAbraham, type EventStudySelection, type HonestDidResult, type SensitivityRestriction } from '@panel-lab/did';
import { sensitivityChart, type Block, type SensitivityInterval } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';
import { referenceEventStudy } from './reference-event-study.js';
import { alphaField, clusterList, clustersField, csFields, csOptionsOf, weightsField } from './inference.js';

const grid = z.array(z.number().nonnegative()).min(1);

const { basePeriod: _universalOnly, weights: _sharedWeights, ...csShared } = csFields;

export const honestDidOptions = analysisObject('honest_did', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  source: z
    .enum(['event_study', 'callaway_santanna', 'sun_abraham', 'did2s', 'did_multiplegt_dyn'])
    .default('event_study')
    .describe("the event study fed to the sensitivity analysis: a TWFE event study (event_study fields), Callaway-Sant'Anna dynamic effects with a universal base period (callaway_santanna fields; vcov from the influence functions, as HonestDiD's honest_did), Sun-Abraham IW coefficients (ref -1; controls, cluster, weights; vcov A V A' as HonestDiD's sunab_beta_vcv), a did2s event study (ref -1, window binned; controls, one cluster column; GMM vcov) or dCdH placebos and effects (did_multiplegt_dyn: dcdhEffects, dcdhPlacebos, one cluster column, cell weights; joint vcov from the influence functions, as its honest_did option). The imputation estimator reports no joint covariance of its pre- and post-period coefficients and is not offered"),
  dcdhEffects: z.number().int().min(1).optional().describe('source did_multiplegt_dyn: dynamic effects 1..dcdhEffects, the post periods (default 3, as dcdh_stacked; trimmed to what the data identify)'),
  dcdhPlacebos: z.number().int().min(1).optional().describe('source did_multiplegt_dyn: placebos 1..dcdhPlacebos, the pre periods (default 3, as dcdh_stacked; trimmed to what the data identify, at most dcdhEffects)'),
  ...csShared,
  controls: z.array(z.string().min(1)).default([]),
  window: z.tuple([z.number().int(), z.number().int()]).optional().describe('event-time window of the underlying TWFE event study (as event_study); reference period fixed at -1'),
  endpoints: z.enum(['bin', 'trim']).default('bin'),
  cluster: clustersField.optional(),
  weights: weightsField.optional(),
  alpha: alphaField,
  restrictions: z
    .array(z.enum(['smoothness', 'relative_magnitude', 'smoothness_relative_magnitude']))
    .min(1)
    .default(['relative_magnitude', 'smoothness'])
    .describe('Rambachan-Roth restrictions: smoothness = Delta^SD(M), relative_magnitude = Delta^RM(Mbar), smoothness_relative_magnitude = Delta^SDRM(Mbar) (second differences relative to the pre-period ones)'),
  smoothnessMethod: z.enum(['FLCI', 'Conditional', 'C-LF', 'C-F']).default('FLCI').describe('CI under Delta^SD (default FLCI, as HonestDiD; C-F = conditional-FLCI hybrid, not with biasDirection / monotonicityDirection)'),
  relativeMagnitudeMethod: z.enum(['C-LF', 'Conditional']).default('C-LF').describe('CI under Delta^RM and Delta^SDRM (default C-LF, as HonestDiD)'),
  Mvec: grid.optional().describe('M values for smoothness (default HonestDiD\'s: 10 points from 0 to the pre-period bound)'),
  Mbarvec: grid.optional().describe('Mbar values for the relative-magnitude bounds (default 10 points from 0 to 2, as HonestDiD)'),
  biasDirection: z.enum(['positive', 'negative']).optional().describe('also restrict the sign of the post-period bias (conditional / C-LF methods; default none, as HonestDiD)'),
  monotonicityDirection: z.enum(['increasing', 'decreasing']).optional().describe('also restrict the trend differences to be monotone (conditional / C-LF methods; default none, as HonestDiD)'),
  breakdownTolerance: z.number().positive().optional().describe('also bisect M / Mbar between the grid values bracketing the breakdown, to this tolerance (default: the grid breakdown only)'),
  target: z.enum(['first_post', 'average_post']).default('first_post').describe('theta: the first post-period effect (HonestDiD default) or the average of the post-period effects'),
  gridPoints: z.number().int().min(10).default(1000).describe('theta grid of the conditional / C-LF test inversion (default 1000, as HonestDiD)'),
  figure: z.string().default('Sensitivity to violations of parallel trends'),
});

const LABEL: Record<SensitivityRestriction, string> = {
  smoothness: 'smoothness, Delta^SD(M)',
  relative_magnitude: 'relative magnitudes, Delta^RM(Mbar)',
  smoothness_relative_magnitude: 'second differences relative to the pre-period ones, Delta^SDRM(Mbar)',
};

const fmt = (v: number | null) => (v === null ? 'none' : v.toPrecision(3));

/** Rambachan-Roth (HonestDiD) sensitivity of an event study's post-period effect (TWFE, CS dynamic, Sun-Abraham, did2s or dCdH). */
export const honestDidHandler = defineHandler({
  estimator: 'honest_did',
  description: 'Rambachan-Roth sensitivity (HonestDiD): robust CIs of an event-study effect under smoothness / relative-magnitude violations of parallel trends, with breakdown values',
  options: honestDidOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `honest_did ${outcome}`, fraction: i / opts.outcomes.length });
      let input: EventStudySelection;
      if (opts.source !== 'did_multiplegt_dyn' && (opts.dcdhEffects !== undefined || opts.dcdhPlacebos !== undefined)) {
        throw new Error(`honest_did: options dcdhEffects / dcdhPlacebos apply to source did_multiplegt_dyn, not ${opts.source}`);
      }
      if (opts.source === 'did_multiplegt_dyn') {
        const cl = clusterList(opts.cluster);
        if (cl && cl.length !== 1) throw new Error(`honest_did: source did_multiplegt_dyn takes one cluster column, got ${cl.join(', ')}`);
        if (opts.window) throw new Error('honest_did: option window applies to sources event_study and did2s, not did_multiplegt_dyn (use dcdhEffects / dcdhPlacebos)');
        if (opts.controls.length) throw new Error('honest_did: source did_multiplegt_dyn takes no controls (our did_multiplegt_dyn has none)');
        const d = didMultiplegtDyn(ctx.frame, {
          outcome, treatment: { cohort: opts.cohort }, alpha: opts.alpha,
          effects: opts.dcdhEffects ?? 3, placebo: opts.dcdhPlacebos ?? 3,
          ...(cl ? { cluster: cl[0]! } : {}),
          ...(opts.weights ? { weights: opts.weights } : {}),
        });
        input = estimatesFromDidMultiplegtDyn(d);
      } else if (opts.source === 'callaway_santanna') {
        const gt = attGt(ctx.frame, { outcome, treatment: { cohort: opts.cohort }, alpha: opts.alpha, ...csOptionsOf({ ...opts, basePeriod: 'universal' }) });
        input = estimatesFromAggteDynamic(aggte(gt, { type: 'dynamic' }));
      } else if (opts.source === 'sun_abraham') {
        if (opts.window) throw new Error("honest_did: option window applies to sources event_study and did2s, not sun_abraham (its relative periods are all those observed)");
        const sa = sunAbraham(ctx.frame, {
          outcome, treatment: { cohort: opts.cohort }, controls: opts.controls, alpha: opts.alpha,
          ...(opts.cluster ? { cluster: clusterList(opts.cluster)! } : {}),
          ...(opts.weights ? { weights: opts.weights } : {}),
        });
        input = estimatesFromSunAbraham(sa);
      } else if (opts.source === 'did2s') {
        const cl = clusterList(opts.cluster);
        if (cl && cl.length !== 1) throw new Error(`honest_did: source did2s takes one cluster column, got ${cl.join(', ')}`);
        if (opts.weights) throw new Error('honest_did: source did2s has no weights option');
        const r = did2s(ctx.frame, {
          outcome, treatment: { cohort: opts.cohort }, controls: opts.controls, alpha: opts.alpha,
          ...(cl ? { cluster: cl[0]! } : {}),
          secondStage: { eventStudy: { ref: [-1], ...(opts.window ? { window: opts.window } : {}) } },
        });
        input = estimatesFromDid2s(r);
      } else {
        const es = referenceEventStudy(ctx.frame, outcome, opts);
        input = estimatesFromEventStudy(es, -1);
      }
      const lVec = opts.target === 'first_post' ? undefined : new Array<number>(input.numPostPeriods).fill(1 / input.numPostPeriods);
      const out: Partial<Record<SensitivityRestriction, HonestDidResult>> = {};
      for (const restriction of opts.restrictions) {
        const r = await honestDid(input, {
          restriction,
          method: restriction === 'smoothness' ? opts.smoothnessMethod : opts.relativeMagnitudeMethod,
          ...(restriction === 'smoothness' && opts.Mvec ? { grid: opts.Mvec } : {}),
          ...(restriction !== 'smoothness' && opts.Mbarvec ? { grid: opts.Mbarvec } : {}),
          ...(lVec ? { lVec } : {}),
          alpha: opts.alpha,
          gridPoints: opts.gridPoints,
          seed: ctx.seed,
          ...(opts.breakdownTolerance !== undefined ? { breakdownTolerance: opts.breakdownTolerance } : {}),
          ...(opts.biasDirection ? { biasDirection: opts.biasDirection } : {}),
          ...(opts.monotonicityDirection ? { monotonicityDirection: opts.monotonicityDirection } : {}),
        });
        out[restriction] = r;
        const intervals: SensitivityInterval[] = [
          { x: 0, lo: r.original.lb, hi: r.original.ub, method: 'Original' },
          ...r.rows.flatMap((row) => (row.lb === null || row.ub === null ? [] : [{ x: row.parameter, lo: row.lb, hi: row.ub, method: r.method }])),
        ];
        const step = r.rows.length > 1 ? r.rows[1]!.parameter - r.rows[0]!.parameter : 1;
        // The original CI sits one grid step left of the first M so the two do not overlap.
        intervals[0] = { ...intervals[0]!, x: (r.rows[0]?.parameter ?? 0) - step };
        const chart = await sensitivityChart(intervals, {
          title: `Sensitivity: ${outcome}, ${LABEL[restriction]}`,
          subtitle: `${opts.target === 'first_post' ? 'first post-period effect' : 'average post-period effect'}; ${r.method} ${Math.round(100 * (1 - opts.alpha))}% CIs; original CI at the left`,
          xTitle: r.parameterName,
          yTitle: `effect on ${outcome}`,
        });
        const b = r.breakdown;
        blocks.push({
          kind: 'figure',
          id: `${opts.id}-${outcome}-${restriction}`,
          caption: `${opts.figure}: ${outcome}. Robust ${r.method} CIs of the ${opts.target === 'first_post' ? 'first post-period' : 'average post-period'} effect under ${LABEL[restriction]} (Rambachan & Roth 2023; HonestDiD 0.2.6 algorithms, LPs by ${r.solver}). Original CI [${fmt(r.original.lb)}, ${fmt(r.original.ub)}]. Breakdown: the CI first contains 0 at ${r.parameterName} = ${fmt(b.firstContainsZero)} (last excluding 0: ${fmt(b.lastExcludesZero)})${r.breakdownRefined?.value != null ? `; bisection: ${fmt(r.breakdownRefined.value)}` : ''}.${r.warnings.length ? ` Notes: ${r.warnings.join('; ')}.` : ''}`,
          svg: chart.svg,
          spec: chart.spec,
        });
        blocks.push({
          kind: 'table',
          id: `${opts.id}-${outcome}-${restriction}-table`,
          table: {
            title: `Sensitivity table: ${outcome}, ${restriction}`,
            columns: [r.parameterName, 'method', 'lb', 'ub'],
            rows: [['original', 'Original', r.original.lb, r.original.ub], ...r.rows.map((row) => [row.parameter, r.method, row.lb, row.ub])],
            digits: 4,
          },
        });
      }
      results[outcome] = { source: opts.source, input, seed: ctx.seed, ...out };
    }
    return { title: opts.title ?? 'Rambachan-Roth sensitivity', blocks, results };
  },
});
