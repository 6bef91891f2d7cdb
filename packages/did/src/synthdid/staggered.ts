/**
 * Staggered adoption by cohort: for each adoption cohort g, the block of never-treated units and
 * cohort g (treated from period g on) gets its own synthdid / sc / did estimate; the overall
 * effect averages the cohort estimates weighted by their treated cells N1_g * T1_g.
 * Cohorts with one pre-period are left out (reported) when the noise level must be estimated.
 * Standard errors per cohort, and for the aggregate on draws shared by all cohorts (staggered-se.ts).
 */
import type { PanelFrame } from '@panel-lab/panel';
import { synthdidEstimate } from './estimate.js';
import { blockMatrix, type BlockPanel } from './panel-matrices.js';
import { staggeredAggregateSe } from './staggered-se.js';
import { synthdidSe } from './vcov.js';
import type { SynthdidEstimate, SynthdidEstimator, SynthdidOptions, SynthdidSe, SynthdidSeOptions } from './types.js';

export interface StaggeredOptions {
  outcome: string;
  /** First treated period per row (constant within unit); 0, NaN or Infinity = never treated. */
  cohort: string;
  estimator?: SynthdidEstimator;
  options?: SynthdidOptions;
  /** Standard errors per cohort (placebo/bootstrap need `seed`; every cohort uses the same seed). */
  se?: SynthdidSeOptions[];
  /** Standard errors of the aggregate, each cohort re-estimated on the same draws (staggered-se.ts). */
  aggregateSe?: SynthdidSeOptions[];
  /** Time-varying covariate columns (synthdid's X), fitted per cohort block. */
  covariates?: string[];
}

export interface CohortEstimate {
  cohort: number;
  block: BlockPanel;
  fit: SynthdidEstimate;
  /** N1_g * T1_g / sum over cohorts. */
  weight: number;
  se: SynthdidSe[];
}

export interface StaggeredResult {
  estimator: SynthdidEstimator;
  estimate: number;
  cohorts: CohortEstimate[];
  /** Cohorts left out, with why (treated from the first period, or never inside the panel). */
  dropped: { cohort: number; reason: string }[];
  /** SEs of `estimate`, one per `aggregateSe` request. */
  aggregateSe: SynthdidSe[];
}

function isNever(g: number): boolean {
  return g === 0 || !Number.isFinite(g);
}

/** From parallel arrays (one entry per unit-period row). */
export function synthdidStaggeredArrays(
  unitIds: ArrayLike<string | number | null>,
  times: ArrayLike<number>,
  outcome: ArrayLike<number>,
  cohortOf: ArrayLike<number>,
  options: StaggeredOptions & { unit: string; time: string },
  covariateValues: readonly ArrayLike<number>[] = [],
): StaggeredResult {
  const covariateNames = options.covariates ?? [];
  if (covariateValues.length !== covariateNames.length) {
    throw new Error(`synthdid staggered: option 'covariates' names ${covariateNames.length} columns but ${covariateValues.length} were given`);
  }
  const estimator = options.estimator ?? 'synthdid';
  const n = unitIds.length;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const cohortSet = new Set<number>();
  for (let i = 0; i < n; i++) {
    first = Math.min(first, times[i]!);
    last = Math.max(last, times[i]!);
    if (!isNever(cohortOf[i]!)) cohortSet.add(cohortOf[i]!);
  }
  const dropped: StaggeredResult['dropped'] = [];
  const cohorts: number[] = [];
  const periods = [...new Set(Array.from(times))].sort((a, b) => a - b);
  // The default noise level (sd of first differences before adoption) needs two pre-periods.
  const needsNoise = estimator !== 'did' && options.options?.noiseLevel === undefined;
  for (const g of [...cohortSet].sort((a, b) => a - b)) {
    const pre = periods.filter((t) => t < g).length;
    if (g <= first) dropped.push({ cohort: g, reason: `treated from the first period (${first}): no pre-periods` });
    else if (needsNoise && pre < 2 && g <= last) dropped.push({ cohort: g, reason: `one pre-period: the default noise level (sd of first differences) needs two; pass noiseLevel` });
    else if (g > last) dropped.push({ cohort: g, reason: `adopts after the last period (${last}): its units serve as controls` });
    else cohorts.push(g);
  }
  if (cohorts.length === 0) throw new Error(`synthdid staggered: column '${options.cohort}': no cohort adopts inside the panel`);
  const names = { unit: options.unit, time: options.time, outcome: options.outcome, treatment: options.cohort };
  const fits = cohorts.map((g) => {
    const keep: number[] = [];
    // Units adopting after the panel are untreated throughout it: controls.
    for (let i = 0; i < n; i++) if (isNever(cohortOf[i]!) || cohortOf[i]! > last || cohortOf[i] === g) keep.push(i);
    const block = blockMatrix(
      keep.map((i) => unitIds[i]!),
      keep.map((i) => times[i]!),
      keep.map((i) => outcome[i]!),
      keep.map((i) => (cohortOf[i] === g && times[i]! >= g ? 1 : 0)),
      names,
      covariateNames.map((name, k) => ({ name, values: keep.map((i) => covariateValues[k]![i]!) })),
    );
    const fit = synthdidEstimate(block.y, block.n0, block.t0, { ...options.options, ...(block.x ? { covariates: block.x } : {}) }, estimator);
    const se = (options.se ?? []).map((s) => synthdidSe(fit, s));
    return { cohort: g, block, fit, se, weight: 0 };
  });
  let cells = 0;
  for (const f of fits) cells += f.fit.n1 * f.fit.t1;
  let estimate = 0;
  for (const f of fits) {
    f.weight = (f.fit.n1 * f.fit.t1) / cells;
    estimate += f.weight * f.fit.estimate;
  }
  const aggregateSe = (options.aggregateSe ?? []).map((s) => staggeredAggregateSe(fits.map((f) => ({ fit: f.fit, units: f.block.units })), s));
  return { estimator, estimate, cohorts: fits, dropped, aggregateSe };
}

/** From a PanelFrame (its unit and time columns). */
export function synthdidStaggered(frame: PanelFrame, options: StaggeredOptions): StaggeredResult {
  const { unit, time } = frame.schema;
  for (const c of [options.outcome, options.cohort]) {
    if (!frame.has(c)) throw new Error(`synthdid staggered: column '${c}' not found in the data`);
  }
  for (const c of options.covariates ?? []) {
    if (!frame.has(c)) throw new Error(`synthdid staggered: option 'covariates': column '${c}' not found in the data`);
    if (frame.isCategorical(c)) throw new Error(`synthdid staggered: option 'covariates': column '${c}' must be numeric`);
  }
  const covariates = (options.covariates ?? []).map((c) => frame.numeric(c));
  return synthdidStaggeredArrays(frame.values(unit), frame.numeric(time), frame.numeric(options.outcome), frame.numeric(options.cohort), { ...options, unit, time }, covariates);
}
