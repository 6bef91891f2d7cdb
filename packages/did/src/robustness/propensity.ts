/**
 * Propensity score: logit of a 0/1 treatment on covariates (R glm / MatchIt distance = "glm"),
 * estimated on the rows selected by `rows` (default all rows with complete data).
 */
import type { PanelFrame } from '@panel-lab/panel';
import { checkAlpha, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';
import { covariateColumns } from './covariates.js';
import { logitFit, type Separation } from '@panel-lab/regression';

export interface PropensityOptions {
  /** 0/1 treatment column, or a row-aligned 0/1 array (e.g. ever-treated built from cohorts). */
  readonly treatment: string | Float64Array;
  readonly covariates: readonly string[];
  /** Restrict estimation to these rows (e.g. one period). */
  readonly rows?: ArrayLike<number>;
  readonly alpha?: number;
}

export interface PropensityResult {
  readonly kind: 'propensity_score';
  readonly spec: { readonly treatment: string; readonly covariates: readonly string[]; readonly link: 'logit'; readonly alpha: number };
  readonly coefs: readonly RobustCoef[];
  /** Row index (into the frame) and fitted score of every row used. */
  readonly rows: readonly number[];
  readonly scores: readonly number[];
  /** Linear predictor logit(p̂) of the same rows. */
  readonly linear: readonly number[];
  readonly treated: readonly (0 | 1)[];
  readonly nobs: number;
  /** Rows left out for a missing treatment or covariate. */
  readonly droppedMissing: number;
  readonly pseudoR2: number;
  readonly lrChi2: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Separation diagnosis: perfectly predicted rows are listed (row indices), never silently kept. */
  readonly separation: { readonly kind: Separation; readonly rows: readonly number[] };
  readonly collinear: readonly string[];
  readonly meta: RobustMeta;
}

export function propensityScore(frame: PanelFrame, options: PropensityOptions): PropensityResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const dAll = typeof options.treatment === 'string' ? columnOrThrow(frame, options.treatment) : options.treatment;
  if (dAll.length !== frame.nrows) throw new Error(`propensityScore: treatment array has ${dAll.length} values, expected ${frame.nrows}`);
  const cov = covariateColumns(frame, options.covariates, 'propensityScore');
  const candidate = options.rows ? Array.from(options.rows) : Array.from({ length: frame.nrows }, (_, r) => r);
  const rows: number[] = [];
  let droppedMissing = 0;
  for (const r of candidate) {
    let ok = Number.isFinite(dAll[r]!);
    for (const c of cov.model.columns) ok &&= Number.isFinite(c[r]!);
    if (!ok) {
      droppedMissing++;
      continue;
    }
    if (dAll[r] !== 0 && dAll[r] !== 1) throw new Error(`propensityScore: treatment must be 0/1, got ${dAll[r]} at row ${r}`);
    rows.push(r);
  }
  const n = rows.length;
  const y = Float64Array.from(rows, (r) => dAll[r]!);
  const nT = y.reduce((s, v) => s + v, 0);
  if (nT === 0 || nT === n) throw new Error(`propensityScore: need both treated and control rows, got ${nT} treated of ${n}`);
  const x = [new Float64Array(n).fill(1), ...cov.model.columns.map((c) => Float64Array.from(rows, (r) => c[r]!))];
  const names = ['(Intercept)', ...cov.model.names];
  const fit = logitFit(x, y);
  const kept = names.filter((_, j) => !fit.dropped.includes(j));
  const k = kept.length;
  const coefs = kept.map((name, j) => robustCoef(name, fit.coef[j]!, Math.sqrt(fit.vcov[j * k + j]!), { alpha }));
  return Object.freeze({
    kind: 'propensity_score' as const,
    spec: Object.freeze({ treatment: typeof options.treatment === 'string' ? options.treatment : '(vector)', covariates: Object.freeze([...options.covariates]), link: 'logit' as const, alpha }),
    coefs: Object.freeze(coefs),
    rows: Object.freeze(rows),
    scores: Object.freeze(Array.from(fit.p)),
    linear: Object.freeze(Array.from(fit.eta)),
    treated: Object.freeze(Array.from(y, (v) => (v === 1 ? 1 : 0) as 0 | 1)),
    nobs: n,
    droppedMissing,
    pseudoR2: 1 - fit.deviance / fit.nullDeviance,
    lrChi2: fit.nullDeviance - fit.deviance,
    converged: fit.converged,
    iterations: fit.iterations,
    separation: Object.freeze({ kind: fit.separation, rows: Object.freeze(fit.separatedRows.map((i) => rows[i]!)) }),
    collinear: Object.freeze(fit.dropped.map((j) => names[j]!)),
    meta: robustMeta(t0),
  });
}

function columnOrThrow(frame: PanelFrame, name: string): Float64Array {
  if (!frame.has(name)) throw new Error(`propensityScore: treatment column '${name}' not found`);
  return frame.numeric(name);
}
