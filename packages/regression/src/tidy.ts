/** broom-style views of a result: fixed snake_case columns, independent of alpha. */
import { criticalValue, twoSidedP } from './distributions.js';
import type { FeolsResult } from './result.js';

export interface TidyRow {
  readonly term: string;
  readonly estimate: number;
  readonly std_error: number;
  readonly statistic: number;
  readonly p_value: number;
  readonly conf_low: number;
  readonly conf_high: number;
}

/** One row per coefficient; t reference with result.dof.t degrees of freedom (or the term's own, dof.coef). */
export function tidy(result: FeolsResult, opts: { alpha?: number } = {}): TidyRow[] {
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`tidy: option alpha must be in (0, 1), got ${alpha}`);
  const q0 = criticalValue(alpha, result.dof.t);
  return result.coefNames.map((term, j) => {
    const estimate = result.coefficients[j]!;
    const se = result.se[j]!;
    const statistic = estimate / se;
    const df = result.dof.coef?.[j] ?? result.dof.t;
    const q = df === result.dof.t ? q0 : criticalValue(alpha, df);
    return Object.freeze({
      term,
      estimate,
      std_error: se,
      statistic,
      p_value: twoSidedP(statistic, df),
      conf_low: estimate - q * se,
      conf_high: estimate + q * se,
    });
  });
}

export interface GlanceRow {
  readonly nobs: number;
  readonly nobs_dropped: number;
  readonly r2: number;
  readonly adj_r2: number;
  readonly within_r2: number | null;
  readonly rmse: number;
  readonly sigma: number;
  readonly df_residual: number;
  readonly df_t: number;
  readonly n_groups: Readonly<Record<string, number>>;
  readonly n_clusters: Readonly<Record<string, number>>;
  readonly vcov: string;
  readonly backend: string;
  readonly converged: boolean;
  readonly iterations: number;
}

export function glance(result: FeolsResult): GlanceRow {
  return Object.freeze({
    nobs: result.nobs,
    nobs_dropped: result.nobsDropped,
    r2: result.r2,
    adj_r2: result.adjR2,
    within_r2: result.withinR2,
    rmse: result.rmse,
    sigma: result.sigma,
    df_residual: result.dof.residual,
    df_t: result.dof.t,
    n_groups: Object.freeze(Object.fromEntries(result.fixef.map((f) => [f.name, f.size]))),
    n_clusters: result.nClusters,
    vcov: result.vcovLabel,
    backend: result.meta.backend,
    converged: result.meta.converged,
    iterations: result.meta.iterations,
  });
}
