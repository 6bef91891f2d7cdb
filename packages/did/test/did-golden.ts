import { expect } from 'vitest';
import { aggte, type AggregationType, type AttGtOptions, type GroupTimeResult } from '../src/index.js';

/** One att_gt + aggte block of the did goldens (did_mpdta's `analytic`, did_unbalanced_mpdta's spec). */
export interface AttGtGolden {
  attgt: { group: number[]; t: number[]; att: number[]; se: (number | null)[] };
  crit_val_pointwise: number;
  pretest_W: number;
  pretest_pval: number;
  aggte: Record<AggregationType, { overall_att: number; overall_se: number; egt?: number[]; att_egt?: number[]; se_egt?: (number | null)[]; crit_val_egt?: number }>;
}

/** The att_gt arguments a did golden records (the unbalanced goldens add panel and allow_unbalanced_panel). */
export interface AttGtArgs {
  xformla: string;
  control_group: 'nevertreated' | 'notyettreated';
  est_method: 'dr' | 'ipw' | 'reg';
  base_period: 'varying' | 'universal';
  panel?: boolean;
  allow_unbalanced_panel?: boolean;
}

/** Our attGt options for R's att_gt(yname = 'lemp', gname = 'first.treat', ...args) on mpdta. */
export function mpdtaAttGtOptions(args: AttGtArgs): AttGtOptions {
  return {
    outcome: 'lemp',
    treatment: { cohort: 'first.treat' },
    covariates: args.xformla === '~1' ? [] : [args.xformla.slice(1)],
    controlGroup: args.control_group,
    estMethod: args.est_method,
    basePeriod: args.base_period,
    ...(args.panel !== undefined ? { panel: args.panel } : {}),
    ...(args.allow_unbalanced_panel !== undefined ? { allowUnbalancedPanel: args.allow_unbalanced_panel } : {}),
  };
}

/**
 * Relative agreement with did 2.3.0 / DRDID 1.2.3: the propensity score is fitted to fastglm's
 * iterate and its Hessian taken at the final scores, as DRDID does, so values agree to ~1e-12;
 * the margin is for other platforms' rounding. Values near zero are compared on the scale 1e-2.
 */
export const DID_TOL = 1e-9;

export function expectClose(actual: number, expected: number | null, tol = DID_TOL): void {
  if (expected === null) {
    expect(Number.isNaN(actual)).toBe(true);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1e-2, Math.abs(expected)));
}

export function expectAttGtMatches(res: GroupTimeResult, want: AttGtGolden): void {
  const g = want.attgt;
  expect(res.group).toEqual(g.group);
  expect(res.time).toEqual(g.t);
  g.att.forEach((a, k) => expectClose(res.att[k]!, a));
  g.se.forEach((s, k) => expectClose(res.se[k]!, s));
  expectClose(res.critVal, want.crit_val_pointwise);
}

/** did rounds the pre-test p-value to 5 digits. */
export function expectPretestMatches(res: GroupTimeResult, want: AttGtGolden): void {
  expect(res.pretest).not.toBeNull();
  expectClose(res.pretest!.W, want.pretest_W);
  expect(Math.abs(res.pretest!.pValue - want.pretest_pval)).toBeLessThan(1e-5);
}

export function expectAggteMatches(res: GroupTimeResult, type: AggregationType, want: AttGtGolden): void {
  const w = want.aggte[type];
  const agg = aggte(res, { type });
  expectClose(agg.overallAtt, w.overall_att);
  expectClose(agg.overallSe, w.overall_se);
  if (!w.egt) return;
  expect(agg.egt).toEqual(w.egt);
  w.att_egt!.forEach((a, k) => expectClose(agg.attEgt[k]!, a));
  w.se_egt!.forEach((s, k) => expectClose(agg.seEgt[k]!, s));
  expectClose(agg.critValEgt, w.crit_val_egt!);
}
