import { qt, ptTwoSided, qnorm, pnormTwoSided } from '../internal/stats.js';

/** t critical value (normal when df is not finite), as fixest's confint. */
export function criticalT(alpha: number, df: number): number {
  return Number.isFinite(df) ? qt(1 - alpha / 2, df) : qnorm(1 - alpha / 2);
}

/** Two-sided p-value of a t statistic (normal when df is not finite). */
export function pTwoSided(stat: number, df: number): number {
  return Number.isFinite(df) ? ptTwoSided(stat, df) : pnormTwoSided(stat);
}

/** One coefficient of an event study. */
export interface EventCoef {
  readonly eventTime: number;
  /** Cohort for cohort-specific coefficients (Sun-Abraham cells); null for pooled ones. */
  readonly group: number | null;
  readonly term: string;
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
}

export function eventCoef(term: string, eventTime: number, group: number | null, estimate: number, se: number, alpha: number, df: number): EventCoef {
  const q = criticalT(alpha, df);
  return Object.freeze({
    eventTime,
    group,
    term,
    estimate,
    se,
    statistic: estimate / se,
    pValue: pTwoSided(estimate / se, df),
    confLow: estimate - q * se,
    confHigh: estimate + q * se,
  });
}

/** Column name of a relative-time dummy (m = minus). */
export function eventColumn(prefix: string, e: number): string {
  return `${prefix}${e < 0 ? 'm' : 'p'}${Math.abs(e)}`;
}
