import { tidy, type FeolsResult } from '@panel-lab/regression';
import type { RobustCoef } from '@panel-lab/did';

/** One coefficient of a model column (null where a number is not finite or not defined). */
export interface ModelCoefficient {
  term: string;
  estimate: number | null;
  std_error: number | null;
  statistic: number | null;
  p_value: number | null;
  conf_low: number | null;
  conf_high: number | null;
}

/**
 * One fitted model as a column of a regression table (etable) and a row group of the coefficient
 * tables: its coefficients with the full vcov (rows and columns in `coefficients` order, null when
 * the estimator gives only SEs), SE type, fixed effects and fit statistics.
 */
export interface ModelSummary {
  /** Column label, unique within the analysis (e.g. the outcome, or 'did2s: ln_co2'). */
  name: string;
  dependent: string;
  /** The library function that fitted it (feols, eventStudy, did2s, ...). */
  method: string;
  coefficients: ModelCoefficient[];
  vcov: (number | null)[][] | null;
  seType: string;
  fixedEffects: string[];
  nobs: number | null;
  r2: number | null;
  adjR2: number | null;
  withinR2: number | null;
}

/** A finite number, else null (JSON has no NaN or Infinity; nothing is hidden: null says "not a number"). */
export function num(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** A feols fit (every coefficient, controls included, with its vcov). */
export function modelFromFeols(name: string, fit: FeolsResult, method = 'feols', alpha = 0.05): ModelSummary {
  return {
    name,
    dependent: fit.spec.lhs,
    method,
    coefficients: tidy(fit, { alpha }).map((r) => ({ term: r.term, estimate: num(r.estimate), std_error: num(r.std_error), statistic: num(r.statistic), p_value: num(r.p_value), conf_low: num(r.conf_low), conf_high: num(r.conf_high) })),
    vcov: fit.vcov.map((row) => row.map(num)),
    seType: fit.vcovLabel,
    fixedEffects: fit.fixef.map((f) => f.name),
    nobs: fit.nobs,
    r2: num(fit.r2),
    adjR2: num(fit.adjR2),
    withinR2: num(fit.withinR2),
  };
}

/** A robustness estimator's coefficients (did2s, imputation, stacked, dCdH, spatial, PSM-DID). */
export function modelFromRobust(
  name: string,
  dependent: string,
  method: string,
  coefs: readonly RobustCoef[],
  extra: { vcov?: readonly (readonly number[])[] | null; seType: string; fixedEffects?: readonly string[]; nobs?: number | null },
): ModelSummary {
  return {
    name,
    dependent,
    method,
    coefficients: coefs.map((c) => ({ term: c.term, estimate: num(c.estimate), std_error: num(c.se), statistic: num(c.statistic), p_value: num(c.pValue), conf_low: num(c.confLow), conf_high: num(c.confHigh) })),
    vcov: extra.vcov ? extra.vcov.map((row) => row.map(num)) : null,
    seType: extra.seType,
    fixedEffects: [...(extra.fixedEffects ?? [])],
    nobs: extra.nobs ?? null,
    r2: null,
    adjR2: null,
    withinR2: null,
  };
}
