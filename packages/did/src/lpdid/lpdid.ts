import type { PanelFrame } from '@panel-lab/panel';
import { feols, modelSpec } from '@panel-lab/regression';
import { treatmentSetup, type TreatmentSetup, type TreatmentSpec } from '../treatment.js';
import { criticalT, pTwoSided } from '../regression/common.js';
import { cleanSample, equalAttWeights, outcomeGrid, type SampleRule } from './samples.js';

export interface LpDidOptions {
  readonly outcome: string;
  /** Absorbing treatment: a cohort column or a 0/1 treatment column (see treatmentSetup). */
  readonly treatment: TreatmentSpec;
  /** Pre-periods: horizons -pre..-2 are estimated, -1 is the reference (default 0). */
  readonly pre?: number;
  /** Post-periods: horizons 0..post (default 0). */
  readonly post?: number;
  /** Equally-weighted ATT: undo OLS's variance weighting across periods (default false). */
  readonly reweight?: boolean;
  /** Fixed composition: every post horizon uses controls untreated through t + post (default false). */
  readonly nocomp?: boolean;
  /** Cluster columns of the CR1 vcov (default: the unit). */
  readonly cluster?: readonly string[];
  readonly alpha?: number;
}

export interface LpDidEstimate {
  /** Horizon h (event time), or 'pre' / 'post' for the pooled estimates. */
  readonly horizon: number | 'pre' | 'post';
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
  /** Rows in the regression; of them newly treated. */
  readonly nobs: number;
  readonly nTreated: number;
  /** Rows left out because their period has no clean control (reweighted only). */
  readonly droppedNoControls: number;
  /** True for h = -1, the normalisation (estimate 0, no SE). */
  readonly reference: boolean;
}

export interface LpDidResult {
  readonly kind: 'lp_did';
  readonly spec: { readonly outcome: string; readonly pre: number; readonly post: number; readonly reweight: boolean; readonly nocomp: boolean; readonly cluster: readonly string[]; readonly alpha: number };
  /** Horizons -pre..post in order, -1 included as the reference row. */
  readonly horizons: readonly LpDidEstimate[];
  /** Pooled post: mean of y_{t..t+post} - y_{t-1}; pooled pre (pre >= 2): mean of y_{t-pre..t-2} - y_{t-1}. */
  readonly pooledPost: LpDidEstimate;
  readonly pooledPre: LpDidEstimate | null;
}

const DY = 'lpdid_dy_';
const SWITCH = 'lpdid_switch_';
const WEIGHT = 'lpdid_w_';

/**
 * Local-projections DiD (Dube, Girardi, Jorda & Taylor 2023): for each horizon h, OLS of
 * y_{t+h} - y_{t-1} on the treatment switch with period FE on newly treated and clean-control rows
 * (not yet treated at t+h; at t for pre-periods), CR1 SEs clustered by unit. Cost: one feols per
 * horizon on at most the panel's rows.
 */
export function lpDid(frame: PanelFrame, options: LpDidOptions): LpDidResult {
  const pre = options.pre ?? 0;
  const post = options.post ?? 0;
  if (!Number.isInteger(pre) || pre < 0) throw new Error(`lpDid: option pre must be a non-negative integer, got ${pre}`);
  if (!Number.isInteger(post) || post < 0) throw new Error(`lpDid: option post must be a non-negative integer, got ${post}`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`lpDid: option alpha must be in (0, 1), got ${alpha}`);
  if (!frame.has(options.outcome)) throw new Error(`lpDid: outcome column '${options.outcome}' not found`);
  const cluster = options.cluster ?? [frame.schema.unit];
  for (const c of cluster) if (!frame.has(c)) throw new Error(`lpDid: cluster column '${c}' not found`);
  // treatmentSetup refuses a treatment that switches off (non-absorbing) and duplicate unit-periods.
  const setup = treatmentSetup(frame, options.treatment);
  if (setup.periods.length < post + 2) throw new Error(`lpDid: option post = ${post} needs at least ${post + 2} periods, the panel has ${setup.periods.length}`);
  if (setup.periods.length < pre + 1) throw new Error(`lpDid: option pre = ${pre} needs at least ${pre + 1} periods, the panel has ${setup.periods.length}`);
  const reweight = options.reweight ?? false;
  const nocomp = options.nocomp ?? false;
  const grid = outcomeGrid(setup, frame.numeric(options.outcome));
  const keepCols = new Set([frame.schema.unit, frame.schema.time, ...cluster]);
  const base = frame.withoutColumns(frame.columnNames.filter((c) => !keepCols.has(c)));
  const run = (horizon: LpDidEstimate['horizon'], rule: SampleRule) => fitHorizon(base, setup, grid, rule, { horizon, reweight, cluster, alpha });

  const horizons: LpDidEstimate[] = [];
  for (let h = -pre; h <= post; h++) {
    if (h === -1) {
      horizons.push(Object.freeze({ horizon: -1, estimate: 0, se: Number.NaN, statistic: Number.NaN, pValue: Number.NaN, confLow: 0, confHigh: 0, nobs: 0, nTreated: 0, droppedNoControls: 0, reference: true }));
      continue;
    }
    horizons.push(run(h, { leads: [h], controlLead: h < 0 ? 0 : nocomp ? post : h }));
  }
  const postLeads = Array.from({ length: post + 1 }, (_, h) => h);
  const pooledPost = run('post', { leads: postLeads, controlLead: post });
  const pooledPre = pre >= 2 ? run('pre', { leads: Array.from({ length: pre - 1 }, (_, k) => -pre + k), controlLead: 0 }) : null;
  return Object.freeze({
    kind: 'lp_did' as const,
    spec: Object.freeze({ outcome: options.outcome, pre, post, reweight, nocomp, cluster: Object.freeze([...cluster]), alpha }),
    horizons: Object.freeze(horizons),
    pooledPost,
    pooledPre,
  });
}

function fitHorizon(
  base: PanelFrame,
  setup: TreatmentSetup,
  grid: Float64Array,
  rule: SampleRule,
  o: { horizon: LpDidEstimate['horizon']; reweight: boolean; cluster: readonly string[]; alpha: number },
): LpDidEstimate {
  let sample = cleanSample(setup, grid, rule);
  let weights: Float64Array | null = null;
  let dropped = 0;
  if (o.reweight) ({ sample, weights, dropped } = equalAttWeights(setup, sample));
  const nTreated = sample.switched.reduce((a, b) => a + b, 0);
  const label = o.horizon === 'pre' || o.horizon === 'post' ? `pooled ${o.horizon}` : `horizon ${o.horizon}`;
  if (nTreated === 0) throw new Error(`lpDid: ${label} has no newly treated row with the long difference observed; lower option pre/post`);
  if (nTreated === sample.rows.length) throw new Error(`lpDid: ${label} has no clean control row`);
  const data = base.takeRows(sample.rows).withColumns({ [DY]: sample.dy, [SWITCH]: sample.switched, ...(weights ? { [WEIGHT]: weights } : {}) });
  const spec = modelSpec({ lhs: DY, terms: [SWITCH], fixef: [setup.time] });
  const fit = feols(spec, data, { vcov: { cluster: [...o.cluster] }, ...(weights ? { weights: WEIGHT } : {}) });
  const j = fit.coefNames.indexOf(SWITCH);
  if (j < 0) throw new Error(`lpDid: ${label}: the treatment switch is collinear with the period FE (no period has both newly treated and clean-control rows)`);
  const estimate = fit.coefficients[j]!;
  const se = fit.se[j]!;
  if (!Number.isFinite(estimate) || !Number.isFinite(se)) throw new Error(`lpDid: ${label}: non-finite estimate (${estimate}) or SE (${se})`);
  const q = criticalT(o.alpha, fit.dof.t);
  return Object.freeze({
    horizon: o.horizon,
    estimate,
    se,
    statistic: estimate / se,
    pValue: pTwoSided(estimate / se, fit.dof.t),
    confLow: estimate - q * se,
    confHigh: estimate + q * se,
    nobs: fit.nobs,
    nTreated,
    droppedNoControls: dropped,
    reference: false,
  });
}
