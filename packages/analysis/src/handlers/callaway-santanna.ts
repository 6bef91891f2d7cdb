import { z } from 'zod';
import { aggte, attGt, plotData, withMultiplierBootstrap, type AggteResult } from '@panel-lab/did';
import { eventStudyChart, type Block, type Cell, type ComparisonRow } from '@panel-lab/report';
import { computeContextFor } from '../compute.js';
import { defineHandler } from '../handler.js';
import { AnalysisInputError } from '../failure.js';
import { analysisObject } from './common.js';
import { groundTruth } from './truth.js';
import { criticalValue, twoSidedP } from '@panel-lab/regression';
import { num, type ModelSummary } from '../results/models.js';
import { alphaField, clusterField, csFields } from './inference.js';
import { multipleTestingField } from './resampling/romano-wolf.js';
import { csAdjust, type CsAdjustOutput } from './resampling/adjust-cs.js';

export const csOptions = analysisObject('callaway_santanna', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  ...csFields,
  bootstrapDraws: z
    .number()
    .int()
    .min(0)
    .default(999)
    .describe(
      "multiplier-bootstrap draws (Rademacher, by unit) for the SEs and uniform bands of every aggregation. Differs from the library: the spec bootstraps unless set to 0 (0 = analytic influence-function SEs, pointwise bands only), while the library's attGt/aggte are analytic and bootstrap only through withMultiplierBootstrap (default 1000 draws, as R did's biters)",
    ),
  bootstrapWeights: z.enum(['rademacher', 'mammen', 'webb']).default('rademacher').describe("multiplier-bootstrap weights (default 'rademacher', as the library and did)"),
  cband: z.boolean().default(true).describe('uniform (simultaneous) bands from the bootstrap (default true, as the library and did)'),
  cluster: clusterField.optional().describe('time-invariant cluster column (default the unit, as the library)'),
  alpha: alphaField,
  minE: z.number().int().optional().describe('dynamic aggregation: lowest event time kept (default all, as the library)'),
  maxE: z.number().int().optional().describe('dynamic aggregation: highest event time kept; also limits post cells in simple/group (default all)'),
  balanceE: z.number().int().min(0).optional().describe('dynamic aggregation: only cohorts observed for event times 0..balanceE (default none)'),
  figure: z.string().default("Callaway-Sant'Anna event study"),
  adjust: multipleTestingField
    .optional()
    .describe("with several outcomes: Romano–Wolf / Westfall–Young p-values of each aggregation's overall ATT across them, from one multiplier bootstrap whose weights are shared by the outcomes (a column in the summary table and a table after it), and of the dynamic ATT(e) across outcomes and event times (effects e >= 0 one family, pre-treatment another; a second table); the same shape as twfe's adjust"),
});

const AGGREGATIONS = ['simple', 'group', 'dynamic', 'calendar'] as const;

/** Callaway-Sant'Anna ATT(g,t) with its four aggregations, bootstrap uniform bands (seed 000 Table 4). */
export const csHandler = defineHandler({
  estimator: 'callaway_santanna',
  description: "Callaway-Sant'Anna group-time ATTs, aggregations and uniform bands",
  options: csOptions,
  async run(ctx, opts) {
    if (opts.adjust && opts.outcomes.length < 2) throw new AnalysisInputError(`option adjust: multiple testing needs two or more outcomes, got ${opts.outcomes.length}`);
    const boot = opts.bootstrapDraws > 0;
    const compute = boot || opts.adjust ? await computeContextFor(ctx.backend) : null;
    const byOutcome: { outcome: string; aggs: Record<string, AggteResult> }[] = [];
    let adjusted: CsAdjustOutput | null = null;
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    const summaryRows: Cell[][] = [];
    const comparisons: ComparisonRow[] = [];
    const truth = groundTruth(ctx.truth);
    const models: ModelSummary[] = [];
    try {
      for (const [i, outcome] of opts.outcomes.entries()) {
        ctx.progress({ step: `CS ${outcome}`, fraction: i / opts.outcomes.length });
        const gt = attGt(ctx.frame, {
          outcome,
          treatment: { cohort: opts.cohort },
          covariates: opts.covariates,
          controlGroup: opts.controlGroup,
          estMethod: opts.estMethod,
          basePeriod: opts.basePeriod,
          anticipation: opts.anticipation,
          alpha: opts.alpha,
          panel: opts.panel,
          allowUnbalancedPanel: opts.allowUnbalancedPanel,
          ...(opts.cluster ? { cluster: opts.cluster } : {}),
          ...(opts.weights ? { weights: opts.weights } : {}),
        });
        const aggs: Record<string, AggteResult> = {};
        for (const type of AGGREGATIONS) {
          let agg = aggte(gt, {
            type,
            naRm: true,
            alpha: opts.alpha,
            ...(opts.minE !== undefined ? { minE: opts.minE } : {}),
            ...(opts.maxE !== undefined ? { maxE: opts.maxE } : {}),
            ...(opts.balanceE !== undefined ? { balanceE: opts.balanceE } : {}),
          });
          if (compute && boot) agg = await withMultiplierBootstrap(agg, compute, { seed: ctx.seed + i, draws: opts.bootstrapDraws, weights: opts.bootstrapWeights, cband: opts.cband });
          aggs[type] = agg;
        }
        const simple = aggs.simple!;
        byOutcome.push({ outcome, aggs });
        models.push(csModel(outcome, aggs, opts.alpha, opts.bootstrapDraws > 0 ? `multiplier bootstrap (${opts.bootstrapDraws})` : 'influence function', gt.n));
        const z = simple.overallAtt / simple.overallSe;
        summaryRows.push([outcome, simple.overallAtt, simple.overallSe, aggs.group!.overallAtt, aggs.dynamic!.overallAtt, aggs.calendar!.overallAtt, gt.pretest ? gt.pretest.pValue : null, Math.abs(z)]);
        results[outcome] = {
          attGt: gt.att.map((att, k) => ({ group: gt.group[k], time: gt.time[k], att, se: gt.se[k] })),
          pretest: gt.pretest,
          warnings: gt.warnings,
          drops: gt.drops,
          aggregations: Object.fromEntries(Object.entries(aggs).map(([k, a]) => [k, { overall_att: a.overallAtt, overall_se: a.overallSe, egt: a.egt, att_egt: a.attEgt, se_egt: a.seEgt, crit_val_egt: a.critValEgt, bootstrap: a.bootstrap }])),
          meta: compute?.meta ?? { backend: 'cpu', precision: 64 },
        };
        const pd = plotData(aggs.dynamic!);
        if (pd.kind === 'event_study') {
          const chart = await eventStudyChart(
            [{ name: 'CS dynamic aggregation', points: pd.series.map((p) => ({ x: p.x, estimate: p.estimate, lo: p.lo, hi: p.hi, lo_simult: p.lo_simult, hi_simult: p.hi_simult })) }],
            { title: `Callaway-Sant'Anna event study: ${outcome}`, subtitle: `${opts.controlGroup} controls, ${opts.estMethod}; pointwise and uniform 95% bands`, xTitle: 'years relative to treatment', yTitle: `ATT on ${outcome}`, treatmentLine: -0.5 },
          );
          blocks.push({ kind: 'figure', id: `${opts.id}-${outcome}-dynamic`, caption: `${opts.figure}: ${outcome}, dynamic aggregation of ATT(g,t) with pointwise and simultaneous bands.`, svg: chart.svg, spec: chart.spec });
        }
        if (truth && (truth.outcomes.affected as readonly string[]).concat(truth.outcomes.unaffected).includes(outcome)) {
          const trueAtt = (truth.outcomes.unaffected as readonly string[]).includes(outcome) ? 0 : (truth.att as Record<string, number>)[outcome];
          if (trueAtt !== undefined) comparisons.push({ quantity: `simple ATT, ${outcome}`, estimate: simple.overallAtt, truth: trueAtt, std_error: simple.overallSe, conf_low: simple.overallAtt - 1.96 * simple.overallSe, conf_high: simple.overallAtt + 1.96 * simple.overallSe });
          const group = aggs.group!;
          for (const [k, g] of group.egt.entries()) {
            const t = truth.attByCohort.find((r) => r.outcome === outcome && r.cohort === g);
            if (t) comparisons.push({ quantity: `cohort ${g} ATT, ${outcome}`, estimate: group.attEgt[k]!, truth: t.att, std_error: group.seEgt[k]!, conf_low: group.attEgt[k]! - group.critValEgt * group.seEgt[k]!, conf_high: group.attEgt[k]! + group.critValEgt * group.seEgt[k]! });
          }
        }
      }
      if (opts.adjust) adjusted = await csAdjust(ctx, compute!, { id: opts.id, adjust: opts.adjust, aggregations: AGGREGATIONS, byOutcome, cluster: opts.cluster });
    } finally {
      await compute?.dispose();
    }
    if (adjusted) for (const row of summaryRows) row.push(adjusted.simpleRomanoWolf.get(row[0] as string) ?? null);
    blocks.unshift({
      kind: 'table',
      id: `${opts.id}-summary`,
      table: {
        title: "Callaway-Sant'Anna aggregated ATTs",
        columns: ['outcome', 'simple ATT', 'SE', 'group', 'dynamic', 'calendar', 'pre-test p', '|z| (simple)', ...(adjusted ? ['Romano–Wolf p (simple)'] : [])],
        rows: summaryRows,
        notes: [
          `Controls: ${opts.controlGroup}; method ${opts.estMethod}; base period ${opts.basePeriod}; ${opts.covariates.length ? `covariates ${opts.covariates.join(', ')} (at the base period)` : 'no covariates'}.`,
          opts.bootstrapDraws > 0 ? `SEs from the multiplier bootstrap (${opts.bootstrapDraws} draws, ${opts.bootstrapWeights} weights, clustered by ${opts.cluster ?? 'unit'})${opts.cband ? '; uniform bands' : ''}.` : 'Analytic SEs from the influence functions.',
          ...(adjusted ? ['Romano–Wolf p (simple): the simple ATT adjusted for testing all the outcomes, from one multiplier bootstrap with weights shared by the outcomes (details in the next table).'] : []),
        ],
      },
    });
    if (adjusted) {
      blocks.splice(1, 0, ...adjusted.blocks);
      results['adjust'] = adjusted.result;
    }
    if (comparisons.length) blocks.push({ kind: 'comparison', id: `${opts.id}-truth`, title: "Callaway-Sant'Anna vs the true ATT", rows: comparisons });
    return { title: opts.title ?? "Callaway-Sant'Anna staggered DID", blocks, results, models, ...(adjusted ? { tables: adjusted.tables } : {}) };
  },
});

/** The four overall ATTs of one outcome as a regression-table column (normal reference, as did). */
function csModel(outcome: string, aggs: Record<string, AggteResult>, alpha: number, seType: string, nobs: number | null): ModelSummary {
  const q = criticalValue(alpha, Number.POSITIVE_INFINITY);
  return {
    name: outcome,
    dependent: outcome,
    method: 'attGt + aggte',
    coefficients: AGGREGATIONS.map((type) => {
      const a = aggs[type]!;
      const z = a.overallAtt / a.overallSe;
      return { term: `ATT (${type})`, estimate: num(a.overallAtt), std_error: num(a.overallSe), statistic: num(z), p_value: num(twoSidedP(z, Number.POSITIVE_INFINITY)), conf_low: num(a.overallAtt - q * a.overallSe), conf_high: num(a.overallAtt + q * a.overallSe) };
    }),
    vcov: null,
    seType,
    fixedEffects: [],
    nobs,
    r2: null,
    adjR2: null,
    withinR2: null,
  };
}
