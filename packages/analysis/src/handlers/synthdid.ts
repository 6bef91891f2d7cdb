import { z } from 'zod';
import { synthdidStaggered, synthdidTimePlacebo, type CohortEstimate, type SynthdidEstimator, type SynthdidSeMethod } from '@panel-lab/did';
import type { Block } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';
import { completeUnits } from './complete-units.js';
import { synthdidPlot } from './synthdid-plot.js';

export const synthdidOptions = analysisObject('synthdid', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1).describe('first treated period per unit (0 or missing = never treated); each adoption cohort is estimated on its block with the never-treated units'),
  estimators: z.array(z.enum(['synthdid', 'sc', 'did'])).min(1).default(['synthdid', 'sc', 'did']).describe('synthetic DID, synthetic control and plain DID (as synthdid_estimate, sc_estimate, did_estimate). Differs from the library: synthdidStaggered fits one estimator (default synthdid); the spec runs all three'),
  se: z.array(z.enum(['placebo', 'bootstrap', 'jackknife'])).default(['placebo', 'jackknife']).describe("standard errors per cohort (synthdid's vcov methods); bootstrap and jackknife need two treated units in the cohort. Differs from the library: synthdidStaggered computes none unless asked"),
  aggregateSe: z.boolean().default(true).describe("the same SEs for the overall (treated-cell-weighted) estimate: every cohort re-estimated on draws shared by all cohorts (the cohorts share their controls); with one cohort it is the cohort's SE. Not in R synthdid, which has no staggered aggregate"),
  covariates: z.array(z.string().min(1)).default([]).describe("time-varying covariate columns (synthdid_estimate's X): beta is fitted jointly with the weights in every cohort block and draw, and the estimate uses the outcome minus X beta (default none)"),
  replications: z.number().int().min(2).default(200).describe('placebo / bootstrap draws (default 200, as synthdid)'),
  noiseLevel: z.number().positive().optional().describe('noise level sigma (default: sd of first differences of the controls before adoption)'),
  etaOmega: z.number().positive().optional().describe('zeta.omega = etaOmega * noiseLevel (default (N1 T1)^(1/4); sc: 1e-6)'),
  etaLambda: z.number().positive().optional().describe('zeta.lambda = etaLambda * noiseLevel (default 1e-6)'),
  zetaOmega: z.number().nonnegative().optional().describe('overrides etaOmega * noiseLevel'),
  zetaLambda: z.number().nonnegative().optional().describe('overrides etaLambda * noiseLevel'),
  omegaIntercept: z.boolean().optional().describe('intercept in the unit weights (default true; sc: false)'),
  lambdaIntercept: z.boolean().optional().describe('intercept in the time weights (default true)'),
  updateOmega: z.boolean().optional().describe('estimate the unit weights (default: true for synthdid and sc, false for did)'),
  updateLambda: z.boolean().optional().describe('estimate the time weights (default: true for synthdid, false for sc and did)'),
  minDecrease: z.number().positive().optional().describe('Frank-Wolfe stops once an iteration lowers the objective by <= minDecrease^2 (default 1e-5 * noiseLevel)'),
  maxIter: z.number().int().min(0).optional().describe('Frank-Wolfe iterations (default 10000)'),
  sparsify: z.boolean().optional().describe('second Frank-Wolfe round from the sparsified weights (default true)'),
  maxIterPreSparsify: z.number().int().min(0).optional().describe('first-round iterations when sparsifying (default 100)'),
  figure: z.string().default('Synthetic difference-in-differences'),
});

const finiteOrNull = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

const placeboCell = (p: { estimate: number } | { reason: string }): number | null => ('estimate' in p && Number.isFinite(p.estimate) ? p.estimate : null);

const NAMES: Record<SynthdidEstimator, string> = { synthdid: 'synthetic DID', sc: 'synthetic control', did: 'DID' };

/** synthdid_placebo: the estimator on the pre-periods with a fake adoption at the same post share, where one fits. */
function timePlacebo(c: CohortEstimate): { estimate: number; pre: number; post: number } | { reason: string } {
  const t0 = Math.floor((c.fit.t0 * c.fit.t0) / c.fit.y.nPeriods);
  if (t0 < 1 || t0 >= c.fit.t0) return { reason: `${c.fit.t0} pre-periods leave no placebo pre- and post-period` };
  const p = synthdidTimePlacebo(c.fit);
  return { estimate: p.estimate, pre: p.t0, post: p.t1 };
}

/** Synthetic DID, SC and DID by adoption cohort (Arkhangelsky et al. 2021; R synthdid). */
export const synthdidHandler = defineHandler({
  estimator: 'synthdid',
  description: 'Synthetic difference-in-differences (and SC, DID) by adoption cohort: unit and time weights, estimates, placebo / bootstrap / jackknife SEs, trajectories figure',
  options: synthdidOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    const weightOptions = {
      noiseLevel: opts.noiseLevel,
      etaOmega: opts.etaOmega,
      etaLambda: opts.etaLambda,
      zetaOmega: opts.zetaOmega,
      zetaLambda: opts.zetaLambda,
      omegaIntercept: opts.omegaIntercept,
      lambdaIntercept: opts.lambdaIntercept,
      updateOmega: opts.updateOmega,
      updateLambda: opts.updateLambda,
      minDecrease: opts.minDecrease,
      maxIter: opts.maxIter,
      sparsify: opts.sparsify,
      maxIterPreSparsify: opts.maxIterPreSparsify,
    };
    const definedOptions = Object.fromEntries(Object.entries(weightOptions).filter(([, v]) => v !== undefined));
    const steps = opts.outcomes.length * opts.estimators.length;
    let step = 0;
    for (const outcome of opts.outcomes) {
      // synthdid needs a balanced block: units with a missing outcome or covariate are left out, counted.
      const sample = completeUnits(ctx.frame, [outcome, ...opts.covariates]);
      const rows: (string | number | null)[][] = [];
      const perEstimator: Record<string, unknown> = {};
      const droppedNotes: string[] = [];
      for (const estimator of opts.estimators) {
        ctx.progress({ step: `synthdid ${estimator} ${outcome}`, fraction: step++ / steps });
        const seOptions = opts.se.map((method: SynthdidSeMethod) => ({ method, replications: opts.replications, seed: ctx.seed }));
        const res = synthdidStaggered(sample.frame, {
          outcome,
          cohort: opts.cohort,
          estimator,
          options: definedOptions,
          se: seOptions,
          ...(opts.aggregateSe ? { aggregateSe: seOptions } : {}),
          ...(opts.covariates.length > 0 ? { covariates: opts.covariates } : {}),
        });
        const placebos = res.cohorts.map(timePlacebo);
        perEstimator[estimator] = {
          estimate: res.estimate,
          aggregateSe: res.aggregateSe.map((s) => ({ method: s.method, se: s.se, replications: s.replications, seed: s.seed, reason: s.reason ?? null })),
          dropped: res.dropped,
          cohorts: res.cohorts.map((c, k) => ({
            cohort: c.cohort,
            weight: c.weight,
            estimate: c.fit.estimate,
            n0: c.fit.n0,
            n1: c.fit.n1,
            t0: c.fit.t0,
            t1: c.fit.t1,
            omega: Object.fromEntries(c.block.units.slice(0, c.fit.n0).map((u, i) => [u, c.fit.omega[i]!])),
            lambda: Object.fromEntries(c.block.times.slice(0, c.fit.t0).map((t, i) => [String(t), c.fit.lambda[i]!])),
            effectCurve: Object.fromEntries(c.block.times.slice(c.fit.t0).map((t, i) => [String(t), c.fit.effectCurve[i]!])),
            options: c.fit.options,
            iterations: { omega: c.fit.iterationsOmega, lambda: c.fit.iterationsLambda },
            ...(c.fit.covariates ? { beta: Object.fromEntries(opts.covariates.map((name, k) => [name, c.fit.covariates!.beta[k]!])), jointIterations: c.fit.covariates.iterations } : {}),
            se: c.se.map((s) => ({ method: s.method, se: s.se, replications: s.replications, seed: s.seed, reason: s.reason ?? null })),
            timePlacebo: placebos[k],
          })),
        };
        for (const d of res.dropped) droppedNotes.push(`${NAMES[estimator]}: cohort ${d.cohort} left out (${d.reason}).`);
        for (const [k, c] of res.cohorts.entries()) {
          rows.push([
            NAMES[estimator],
            String(c.cohort),
            c.fit.estimate,
            ...opts.se.map((m: SynthdidSeMethod) => finiteOrNull(c.se.find((s) => s.method === m)?.se)),
            c.fit.n1,
            c.fit.t1,
            c.weight,
            placeboCell(placebos[k]!),
          ]);
          if (estimator === opts.estimators[0]) {
            const chart = await synthdidPlot(c, outcome, `${NAMES[estimator]}: ${outcome}, cohort ${c.cohort}`);
            const lambdaText = c.block.times
              .slice(0, c.fit.t0)
              .map((t, i) => [t, c.fit.lambda[i]!] as const)
              .filter(([, w]) => w > 0)
              .map(([t, w]) => `${t}: ${w.toFixed(3)}`)
              .join(', ');
            blocks.push({
              kind: 'figure',
              id: `${opts.id}-${outcome}-${c.cohort}`,
              caption: `${opts.figure}: ${outcome}, cohort ${c.cohort}. Treated mean against the omega-weighted controls shifted to the treated units' lambda-weighted pre-period level; the gap after adoption averages to the estimate ${c.fit.estimate.toPrecision(4)}. Lower panel: the time weights (lambda on the pre-periods: ${lambdaText || 'none, all zero'}; 1/T1 on the post-periods).`,
              svg: chart.svg,
              spec: chart.spec,
            });
          }
        }
        rows.push([
          NAMES[estimator],
          'all (weighted by treated cells)',
          res.estimate,
          ...opts.se.map((m: SynthdidSeMethod) => finiteOrNull(res.aggregateSe.find((s) => s.method === m)?.se)),
          null,
          null,
          1,
          null,
        ]);
      }
      results[outcome] = perEstimator;
      blocks.push({
        kind: 'table',
        id: `${opts.id}-${outcome}`,
        table: {
          title: `Synthetic difference-in-differences by adoption cohort: ${outcome}`,
          columns: ['estimator', 'cohort', 'estimate', ...opts.se.map((m: SynthdidSeMethod) => `SE (${m})`), 'treated units', 'post periods', 'weight', 'placebo in time'],
          rows,
          notes: [
            `Each cohort is estimated on its block (never-treated units and the cohort); the overall row weights cohorts by treated cells N1 x T1.`,
            opts.aggregateSe
              ? `Overall row SEs: the cohorts share their controls, so every draw resamples the units of the whole panel once and re-estimates all cohorts on it (placebo: disjoint placebo-treated sets per cohort from one permutation of the controls; bootstrap: units with replacement, drawn treated counts in the weights; jackknife: leave one unit out of every cohort). With one cohort it equals the cohort's SE.`
              : `No SE for the overall row (aggregateSe: false).`,
            ...(opts.covariates.length > 0
              ? [`Covariates (${opts.covariates.join(', ')}): synthdid_estimate's X; beta is fitted jointly with the weights in each cohort block and draw, estimates and figures use the outcome minus X beta. Units with a missing covariate are left out.`]
              : []),
            `Placebo in time (synthdid_placebo): the same estimator on the pre-adoption periods only, with a fake adoption at the same post-period share; an estimate far from 0 questions the pre-trend fit.`,
            `Placebo / bootstrap: ${opts.replications} draws, seed ${ctx.seed} (R's generator: the same seed gives R synthdid's draws). Bootstrap and jackknife are undefined (blank) with one treated unit, placebo with no more controls than treated units; the jackknife is not recommended for SC (Arkhangelsky et al. 2021, section 5).`,
            ...droppedNotes,
            ...(sample.droppedUnits ? [`${sample.droppedUnits} units without complete data left out (${sample.keptUnits} kept).`] : []),
          ],
        },
      });
    }
    return { title: opts.title ?? 'Synthetic difference-in-differences', blocks, results };
  },
});
