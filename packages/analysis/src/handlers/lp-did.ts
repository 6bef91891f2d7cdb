import { z } from 'zod';
import { lpDid, type LpDidEstimate, type LpDidResult } from '@panel-lab/did';
import type { Block, Series } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';
import { eventStudyFigure } from './event-figure.js';
import { alphaField, clusterList, clustersField } from './inference.js';

export const lpDidOptions = analysisObject('lp_did', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1).describe('first treated period per unit (0 or missing = never treated); treatment is absorbing'),
  pre: z.number().int().min(0).default(0).describe('pre-periods: horizons -pre..-2 estimated, -1 the reference (default 0, as the library)'),
  post: z.number().int().min(0).default(0).describe('post-periods: horizons 0..post (default 0, as the library)'),
  reweight: z.boolean().default(false).describe('equally-weighted ATT: undo OLS variance weighting across periods (default false, as the library)'),
  nocomp: z.boolean().default(false).describe('fixed composition: post horizons use controls untreated through t + post (default false)'),
  cluster: clustersField.optional(),
  alpha: alphaField,
  figure: z.string().default('Local-projections DiD'),
});

const row = (e: LpDidEstimate): (string | number | null)[] => [
  typeof e.horizon === 'number' ? e.horizon : `pooled ${e.horizon}`,
  e.reference ? 0 : e.estimate,
  e.reference ? null : e.se,
  e.reference ? null : e.confLow,
  e.reference ? null : e.confHigh,
  e.reference ? null : e.nobs,
  e.reference ? null : e.nTreated,
];

function series(res: LpDidResult): Series {
  return {
    name: res.spec.reweight ? 'LP-DiD (reweighted, equally-weighted ATT)' : 'LP-DiD',
    points: res.horizons.map((h) => ({ x: h.horizon as number, estimate: h.estimate, lo: h.reference ? null : h.confLow, hi: h.reference ? null : h.confHigh })),
  };
}

/** Local-projections DiD (Dube, Girardi, Jorda & Taylor 2023): clean controls per horizon, pooled pre/post, event-study figure. */
export const lpDidHandler = defineHandler({
  estimator: 'lp_did',
  description: 'Local-projections DiD: long differences on newly treated vs clean controls per horizon, optional equal-weight reweighting, pooled pre/post, event-study figure',
  options: lpDidOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    const cluster = clusterList(opts.cluster);
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `lp_did ${outcome}`, fraction: i / opts.outcomes.length });
      const res = lpDid(ctx.frame, { outcome, treatment: { cohort: opts.cohort }, pre: opts.pre, post: opts.post, reweight: opts.reweight, nocomp: opts.nocomp, alpha: opts.alpha, ...(cluster ? { cluster } : {}) });
      results[outcome] = { spec: res.spec, horizons: res.horizons, pooledPost: res.pooledPost, pooledPre: res.pooledPre };
      const level = Math.round(100 * (1 - opts.alpha));
      const p = res.pooledPost;
      blocks.push(await eventStudyFigure(outcome, [series(res)], {
        id: `${opts.id}-${outcome}`,
        title: `LP-DiD: ${outcome}`,
        subtitle: `reference period -1; ${level}% CIs clustered by ${cluster ? cluster.join(', ') : 'unit'}`,
        xTitle: 'periods relative to treatment',
        caption: `${opts.figure}: ${outcome}, horizons -${opts.pre}..${opts.post}${opts.reweight ? ', reweighted to the equally-weighted ATT' : ''}${opts.nocomp ? ', fixed control composition' : ''}. Pooled post ${p.estimate.toFixed(4)} (SE ${p.se.toFixed(4)}).`,
      }));
      blocks.push({
        kind: 'table',
        id: `${opts.id}-${outcome}-table`,
        table: {
          title: `LP-DiD estimates: ${outcome}`,
          columns: ['horizon', 'estimate', 'SE', `${level}% CI low`, `${level}% CI high`, 'N', 'newly treated'],
          rows: [...res.horizons.map(row), row(res.pooledPost), ...(res.pooledPre ? [row(res.pooledPre)] : [])],
          notes: [
            'Each horizon h: OLS of y(t+h) - y(t-1) on the treatment switch with period FE, on newly treated units and clean controls (not yet treated at t+h; at t for pre-periods). Horizon -1 is the reference.',
            ...(res.horizons.some((h) => h.droppedNoControls > 0) ? ['Rows of periods without any clean control are left out of the reweighted regressions (counted in the results).'] : []),
          ],
        },
      });
    }
    return { title: opts.title ?? 'Local-projections DiD', blocks, results };
  },
});
