import { z } from 'zod';
import { collinearNote, etable, feols, glance, tidy, type FeolsResult } from '@panel-lab/regression';
import type { Block } from '@panel-lab/report';
import { defineHandler, type AnalysisContext } from '../handler.js';
import { AnalysisInputError } from '../failure.js';
import { analysisObject } from './common.js';
import { alphaField, sscField, vcovField, weightsField } from './inference.js';
import { truthRows } from './truth.js';
import { modelFromFeols } from '../results/models.js';
import { multipleTestingBlock, multipleTestingField } from './resampling/romano-wolf.js';

export const twfeOptions = analysisObject('twfe', {
  outcomes: z.array(z.string().min(1)).min(1),
  treatment: z.string().min(1).describe('0/1 treatment indicator D_it'),
  cohort: z.string().min(1).optional().describe("each unit's first treated period: when given, the treatment is checked to be 1 exactly from it on"),
  controls: z.array(z.string().min(1)).default([]),
  extraTreatments: z.array(z.string().min(1)).default([]).describe('other policies entered as controls (seed Table 8)'),
  cluster: z.string().optional().describe('cluster variable (default: the unit column); the same as vcov { type: "cluster", cluster }'),
  vcov: vcovField.optional().describe('variance estimator as fixest vcov (default: CR1 clustered by `cluster`, i.e. the unit; the library feols alone defaults to iid)'),
  ssc: sscField.optional(),
  weights: weightsField.optional(),
  alpha: alphaField,
  caption: z.string().optional(),
  adjust: multipleTestingField.optional().describe('with several outcomes: Romano–Wolf / Westfall–Young p-values of the treatment across them (a table after the TWFE table)'),
});
export type TwfeOptions = z.infer<typeof twfeOptions>;

/** One TWFE regression per outcome: `y ~ D + controls | unit + time`, CR1 clustered (seed 000 Table 3 style). */
export function fitTwfe(
  ctx: AnalysisContext,
  opts: Pick<TwfeOptions, 'outcomes' | 'treatment' | 'controls' | 'extraTreatments' | 'cluster'> & Partial<Pick<TwfeOptions, 'vcov' | 'ssc' | 'weights'>>,
): FeolsResult[] {
  const { unit, time } = ctx.frame.schema;
  if (opts.vcov !== undefined && opts.cluster !== undefined) throw new AnalysisInputError("options 'cluster' and 'vcov' both given: name the clusters in vcov ({ type: 'cluster', cluster: ... }) or use cluster alone");
  const rhs = [opts.treatment, ...opts.extraTreatments, ...opts.controls].join(' + ');
  return opts.outcomes.map((y, i) => {
    ctx.progress({ step: `TWFE ${y}`, fraction: i / opts.outcomes.length });
    return feols(`${y} ~ ${rhs} | ${unit} + ${time}`, ctx.frame, {
      vcov: opts.vcov ?? { cluster: [opts.cluster ?? unit] },
      ...(opts.ssc ? { ssc: opts.ssc } : {}),
      ...(opts.weights ? { weights: opts.weights } : {}),
    });
  });
}

/** The etable of several fits as a report table block (Markdown and HTML from the regression core). */
export function etableBlock(id: string, title: string, fits: readonly FeolsResult[], notes: string[] = []): Block {
  return {
    kind: 'table',
    id,
    rendered: {
      title,
      markdown: etable(fits, { format: 'markdown' }),
      html: etable(fits, { format: 'html' }),
      notes: [
        ...notes,
        ...fits.filter((f) => f.nobsDropped > 0).map((f) => `${f.spec.lhs}: ${f.nobsDropped} observations dropped (missing values or singletons).`),
        // a requested regressor missing from the table is named, with what it is collinear with
        ...fits.flatMap((f) => f.collinearWith.map((c) => `${f.spec.lhs}: ${collinearNote(c)}.`)),
      ],
    },
  };
}

export const twfeHandler = defineHandler({
  estimator: 'twfe',
  description: 'two-way fixed-effects DID with controls and clustered SEs, one column per outcome',
  options: twfeOptions,
  async run(ctx, opts) {
    const fits = fitTwfe(ctx, opts);
    for (const f of fits) {
      const lost = f.collinearWith.find((c) => c.term === opts.treatment);
      if (lost) throw new AnalysisInputError(`treatment '${opts.treatment}' (treatment) cannot be estimated for outcome '${f.spec.lhs}': ${collinearNote(lost)} (no treated units, every unit treated at the same time, or no untreated period)`);
    }
    const title = opts.title ?? 'Two-way fixed-effects DID';
    const blocks: Block[] = [
      etableBlock(opts.id, opts.caption ?? title, fits, [
        opts.vcov === undefined ? `Unit and time fixed effects; SEs clustered by ${opts.cluster ?? ctx.frame.schema.unit} (CR1, fixest small-sample correction).` : `Unit and time fixed effects; SEs: ${fits[0]!.vcovLabel}${opts.ssc ? `, small-sample correction ${JSON.stringify(opts.ssc)}` : ''}.`,
        ...(opts.weights ? [`Weighted by ${opts.weights}.`] : []),
        ...(opts.controls.length ? [`Controls: ${opts.controls.join(', ')}.`] : ['No controls.']),
      ]),
    ];
    const comparison = truthRows(ctx.truth, fits.map((f) => ({ outcome: f.spec.lhs, row: tidy(f).find((r) => r.term === opts.treatment)! })));
    if (comparison) blocks.push({ kind: 'comparison', id: `${opts.id}-truth`, title: 'TWFE estimates vs the true ATT', rows: comparison, notes: ['True ATT: mean own effect over treated city-years. TWFE weights cohorts and periods differently, so some gap is expected under heterogeneous, dynamic effects.'] });
    const results: Record<string, unknown> = Object.fromEntries(fits.map((f) => [f.spec.lhs, { tidy: tidy(f, { alpha: opts.alpha }), glance: glance(f), formula: f.formula, collinear: f.collinearWith, vcov: f.vcov, vcovSpec: f.vcovSpec, ssc: f.ssc }]));
    const adjusted = opts.adjust ? await twfeAdjust(ctx, opts, opts.adjust) : null;
    if (adjusted) {
      blocks.splice(1, 0, adjusted.block);
      results['adjust'] = adjusted.result;
    }
    return {
      title,
      blocks,
      results,
      models: fits.map((f) => modelFromFeols(f.spec.lhs, f, 'feols', opts.alpha)),
      ...(adjusted ? { tables: adjusted.tables } : {}),
    };
  },
});

/** twfe's `adjust`: the wild bootstrap needs the clusters of a clustered vcov and unweighted fits. */
function twfeAdjust(ctx: AnalysisContext, opts: TwfeOptions, adjust: NonNullable<TwfeOptions['adjust']>) {
  if (opts.outcomes.length < 2) throw new AnalysisInputError(`option adjust: multiple testing needs two or more outcomes, got ${opts.outcomes.length}`);
  if (opts.weights) throw new AnalysisInputError('option adjust: the wild bootstrap here is for unweighted fits; drop weights or adjust');
  let cluster = opts.cluster ?? ctx.frame.schema.unit;
  if (opts.vcov !== undefined) {
    // the bootstrap's t statistics are CR1 by one cluster variable: only that vcov matches them
    const v = typeof opts.vcov === 'string' ? { type: opts.vcov } : opts.vcov;
    const c = v.cluster === undefined ? [] : typeof v.cluster === 'string' ? [v.cluster] : v.cluster;
    if (v.type !== 'cluster' || c.length !== 1) throw new AnalysisInputError(`option adjust: the wild cluster bootstrap needs CR1 by one cluster variable (cluster, or vcov { type: 'cluster', cluster: <one column> }), got vcov ${JSON.stringify(opts.vcov)}`);
    cluster = c[0]!;
  }
  return multipleTestingBlock(ctx, { id: opts.id, outcomes: opts.outcomes, treatment: opts.treatment, controls: [...opts.extraTreatments, ...opts.controls], cluster, draws: adjust.draws, weights: adjust.weights, startFraction: 1 });
}
