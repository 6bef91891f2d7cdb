import type { CollinearTerm } from './collinear.js';
/** The immutable, JSON-safe result of feols (CONVENTIONS C). */
import type { DropCounts } from './design.js';
import type { DemeanMethod } from './demean.js';
import type { ModelSpec } from './formula.js';
import type { Ssc } from './ssc.js';
import type { NormalizedVcov } from './vcov-registry.js';

export interface FixefInfo {
  readonly name: string;
  readonly size: number;
}

export interface FeolsDof {
  /** Estimated (kept) slope coefficients. */
  readonly k: number;
  /** FE parameters: Σ sizes - (Q - 1), or 0 without FE. */
  readonly fe: number;
  /** k + fe. */
  readonly nparams: number;
  /** K used by the small-sample correction of the current vcov. */
  readonly kVcov: number;
  /** Reference df of t tests and confidence intervals. */
  readonly t: number;
  /** Per-coefficient reference df (CR2 / CR3 with Satterthwaite df), overriding `t` term by term. */
  readonly coef?: readonly number[];
  /** n - nparams. */
  readonly residual: number;
}

export interface FeolsMeta {
  readonly backend: 'cpu';
  readonly precision: 64;
  readonly demeanMethod: DemeanMethod;
  readonly iterations: number;
  readonly converged: boolean;
  readonly tol: number;
  readonly seed: null;
  readonly versions: Readonly<Record<string, string>>;
  readonly timings: Readonly<Record<string, number>>;
}

export interface FeolsResult {
  readonly kind: 'feols';
  readonly formula: string;
  readonly spec: ModelSpec;
  readonly coefNames: readonly string[];
  readonly coefficients: readonly number[];
  readonly se: readonly number[];
  /** Full vcov, rows and columns in coefNames order. */
  readonly vcov: readonly (readonly number[])[];
  readonly vcovSpec: NormalizedVcov;
  readonly vcovLabel: string;
  readonly ssc: Ssc;
  readonly nobs: number;
  readonly nobsOriginal: number;
  /** Rows not used, all causes (dropped.na + zeroWeight + singletons). */
  readonly nobsDropped: number;
  readonly dropped: DropCounts;
  /** Regressors removed as collinear (with earlier ones or with the fixed effects). */
  readonly collinear: readonly string[];
  /** The same regressors, each with the kept ones (or the fixed effects) it is collinear with. */
  readonly collinearWith: readonly CollinearTerm[];
  readonly fixef: readonly FixefInfo[];
  readonly nClusters: Readonly<Record<string, number>>;
  readonly dof: FeolsDof;
  readonly weights: string | null;
  readonly ssr: number;
  readonly tss: number;
  readonly r2: number;
  readonly adjR2: number;
  /** R² of the within (FE-demeaned) regression; null without fixed effects. */
  readonly withinR2: number | null;
  readonly rmse: number;
  readonly sigma: number;
  readonly residuals?: readonly number[];
  readonly meta: FeolsMeta;
}

/** Coefficient by name (throws on an unknown term). */
export function coef(result: FeolsResult, term: string): number {
  const j = result.coefNames.indexOf(term);
  if (j < 0) throw new Error(`term '${term}' not in the model; terms are: ${result.coefNames.join(', ')}`);
  return result.coefficients[j]!;
}

/** Standard error by name (throws on an unknown term). */
export function stdError(result: FeolsResult, term: string): number {
  const j = result.coefNames.indexOf(term);
  if (j < 0) throw new Error(`term '${term}' not in the model; terms are: ${result.coefNames.join(', ')}`);
  return result.se[j]!;
}
