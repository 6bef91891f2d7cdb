import { z } from 'zod';
import { psmDid } from '@panel-lab/did';
import { lineBandChart, type Block } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { truthRows } from '../truth.js';
import { coefficientTable, jsonSafe } from './shared.js';
import { alphaField, clustersField, clusterList } from '../inference.js';
import { modelFromFeols } from '../../results/models.js';
import { tableFromRows, type DataTable } from '../../results/tables.js';

export const psmOptions = analysisObject('psm_did', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  covariates: z.array(z.string().min(1)).min(1),
  controls: z.array(z.string().min(1)).default([]),
  design: z.enum(['baseline', 'pooled', 'by_period']).default('baseline'),
  replace: z.boolean().default(false).describe('match with replacement (MatchIt replace = TRUE; a control may serve several treated units)'),
  weights: z
    .enum(['matchit', 'frequency'])
    .default('matchit')
    .describe("weights of the DID on the matched sample: 'matchit' (MatchIt's m$weights: controls' use counts scaled to sum to the number of distinct matched controls) or 'frequency' (use counts); the unweighted DID is reported beside it"),
  emulate: z
    .enum(['matchit-4.5.1'])
    .optional()
    .describe("reproduce MatchIt 4.5.1's pairs exactly (its nn_matchC_vec prefers the lower-score free control when both sides have one, even if the higher one is closer); default: the truly nearest control"),
  order: z.enum(['largest', 'smallest', 'data', 'random']).default('largest').describe("greedy order of treated units (MatchIt m.order; 'largest' score first is its default)"),
  seed: z.number().int().optional().describe("seed for order = 'random'"),
  balanceDenominator: z.enum(['pooled', 'treated']).default('pooled').describe("standardized-difference denominator: 'pooled' unmatched SDs (Stata pstest) or 'treated' SD (MatchIt / cobalt for the ATT); also divides the Std. Pair Dist."),
  distance: z.enum(['ps', 'logit']).default('ps').describe("match on the score ('ps', default, as the library and MatchIt) or on its logit"),
  caliper: z
    .object({ width: z.number().positive(), scale: z.enum(['distance', 'sd']).default('sd') })
    .strict()
    .optional()
    .describe("caliper: width in distance units or in SDs of the distance (MatchIt std.caliper; Austin's 0.2 SD); default none, as the library"),
  commonSupport: z.boolean().default(false).describe("drop treated units whose score lies outside the controls' [min, max] (psmatch2 common); default false, as the library"),
  baselinePeriod: z.number().int().optional().describe("period of the baseline cross-section (design 'baseline'; default the last period before the first adoption, as the library)"),
  cluster: clustersField.optional(),
  clusterBy: z.enum(['unit', 'pair']).default('unit').describe("cluster the DID's SEs by unit (default, or by `cluster`) or by matched pair ('pair': MatchIt's subclass; needs replace false)"),
  alpha: alphaField,
  caption: z.string().default('PSM-DID'),
});

/** Propensity-score matching, balance, score densities, then TWFE on the matched sample (seed 000 Fig. 8, Table 8). */
export const psmHandler = defineHandler({
  estimator: 'psm_did',
  description: 'propensity-score matching (logit, 1:1 nearest neighbour), balance table, DID on the matched sample',
  options: psmOptions,
  async run(ctx, opts) {
    const fits = opts.outcomes.map((outcome, i) => {
      ctx.progress({ step: `PSM-DID ${outcome}`, fraction: i / opts.outcomes.length });
      return { outcome, result: psmDid(ctx.frame, { outcome, treatment: { cohort: opts.cohort }, covariates: opts.covariates, controls: opts.controls, design: opts.design, weights: opts.weights, balanceDenominator: opts.balanceDenominator, alpha: opts.alpha, clusterBy: opts.clusterBy, ...(opts.cluster ? { cluster: clusterList(opts.cluster) } : {}), ...(opts.baselinePeriod !== undefined ? { baselinePeriod: opts.baselinePeriod } : {}), match: { replace: opts.replace, order: opts.order, distance: opts.distance, commonSupport: opts.commonSupport, ...(opts.caliper ? { caliper: opts.caliper } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.emulate ? { emulate: opts.emulate } : {}) } }) };
    });
    const first = fits[0]!.result;
    const blocks: Block[] = [];
    if (first.balance) {
      const b = first.balance;
      blocks.push({
        kind: 'table',
        id: `${opts.id}-balance`,
        table: {
          title: 'Covariate balance before (U) and after (M) matching',
          columns: ['covariate', 'mean T (U)', 'mean C (U)', 'mean T (M)', 'mean C (M)', '%bias U', '%bias M', '|bias| reduction %', 'p (U)', 'p (M)', 'eCDF mean (M)', 'eCDF max (M)', 'Std. Pair Dist.'],
          rows: b.rows.map((r) => [r.term, r.meanTreatedU, r.meanControlU, r.meanTreatedM, r.meanControlM, 100 * r.stdDiffU, 100 * r.stdDiffM, r.reductionPct, r.pU, r.pM, r.ecdfMeanM, r.ecdfMaxM, r.stdPairDist]),
          notes: [
            `Design '${opts.design}', 1:1 nearest neighbour on the propensity score (logit model), ${opts.replace ? 'with' : 'without'} replacement, order '${opts.order}'${opts.emulate ? `, pairs as MatchIt 4.5.1 forms them` : ''}.`,
            opts.balanceDenominator === 'pooled'
              ? "%bias uses the unmatched sample's pooled variances (pstest convention)."
              : "%bias uses the unmatched treated SD (MatchIt / cobalt ATT convention).",
            'eCDF mean/max and Std. Pair Dist. as MatchIt summary(): matched-sample weighted eCDF differences (for binary covariates the difference in proportions) and the mean |treated - control| difference within pairs over the same denominator.',
          ],
        },
      });
      const label = (s: { group: string; sample: string }) => `${s.group}, ${s.sample === 'unmatched' ? 'before' : 'after'} matching`;
      const chart = await lineBandChart(
        b.plot.densities.map((d) => ({ name: label(d), points: d.x.map((x, k) => ({ x, estimate: d.density[k]! })) })),
        { title: 'Propensity-score densities before and after matching', subtitle: 'kernel densities; with every treated city matched, its two curves coincide', xTitle: 'propensity score', yTitle: 'density' },
      );
      blocks.push({ kind: 'figure', id: `${opts.id}-scores`, caption: `${opts.caption}: kernel densities of the propensity score for treated and control cities before and after matching (seed 000, Fig. 8).`, svg: chart.svg, spec: chart.spec });
    }
    const m = first.matching[0];
    blocks.push(
      coefficientTable(`${opts.id}-did`, `${opts.caption}: TWFE on the matched sample`, fits, [
        `${first.unitsMatched} units (${first.rowsMatched} rows) kept in the matched sample; ${first.rowsDropped} rows left out.${m ? ` ${m.nMatchedTreated} of ${m.nTreated} treated units matched to ${m.nDistinctControls} distinct controls.` : ''}`,
        `'treated' is weighted by ${opts.weights === 'matchit' ? "MatchIt's weights (controls' use counts scaled to the number of distinct matched controls)" : 'frequency weights (controls\' use counts)'}; 'treated (unweighted)' counts each matched row once.`,
      ]),
    );
    const comparison = truthRows(ctx.truth, fits.map((f) => ({ outcome: f.outcome, row: { estimate: f.result.did.estimate, std_error: f.result.did.se, conf_low: f.result.did.confLow, conf_high: f.result.did.confHigh }, label: `PSM-DID, ${f.outcome}` })));
    if (comparison) blocks.push({ kind: 'comparison', id: `${opts.id}-truth`, title: 'PSM-DID vs the true ATT', rows: comparison });
    // scores and pairs of every matching run (one run per period with design 'by_period')
    const tables: Record<string, DataTable> = {};
    for (const f of fits) {
      const scores = f.result.matching.flatMap((m) => m.scores);
      const pairs = f.result.matching.flatMap((m) => m.pairs);
      if (scores.length) tables[`${f.outcome}.scores`] = tableFromRows(`propensity score of one unit-period (${f.outcome})`, scores as unknown as Record<string, unknown>[]);
      if (pairs.length) tables[`${f.outcome}.pairs`] = tableFromRows(`one matched pair (${f.outcome})`, pairs as unknown as Record<string, unknown>[]);
    }
    return {
      title: opts.title ?? 'PSM-DID',
      blocks,
      results: Object.fromEntries(fits.map((f) => [f.outcome, jsonSafe({ spec: f.result.spec, matching: f.result.matching, balance: f.result.balance?.rows, did: { estimate: f.result.did.estimate, se: f.result.did.se, fit: { coefficients: Object.fromEntries(f.result.did.fit.coefNames.map((n, k) => [n, { estimate: f.result.did.fit.coefficients[k], se: f.result.did.fit.se[k] }])), vcov: f.result.did.fit.vcov, nobs: f.result.did.fit.nobs } }, didUnweighted: { estimate: f.result.didUnweighted.estimate, se: f.result.didUnweighted.se } })])),
      models: fits.map((f) => modelFromFeols(f.outcome, f.result.did.fit, "psmDid")),
      tables,
    };
  },
});
