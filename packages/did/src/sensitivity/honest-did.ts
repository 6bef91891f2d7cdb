/**
 * One call for the Rambachan-Roth sensitivity table: the original CI of theta = l'tau_post and the
 * robust CIs over a grid of M (smoothness, Delta^SD) or Mbar (relative magnitudes, Delta^RM),
 * with the grid breakdown value. Defaults follow HonestDiD 0.2.6's createSensitivityResults*.
 */
import { qnorm } from '../internal/stats.js';
import { breakdownOnGrid, type GridBreakdown } from './breakdown.js';
import { refineBreakdown, type RefinedBreakdown } from './breakdown-refine.js';
import { conditionalCiDeltaRM, conditionalCiDeltaSD, conditionalCiDeltaSDRM, rSeq } from './conditional.js';
import { flciDeltaSD, flciRows } from './flci.js';
import type { FoldedQuantileMethod } from './folded-normal.js';
import { lpSolver } from './lp.js';
import { matMul, matVec, quadForm, range, subMatrix, transpose, type Mat } from './matrix.js';
import { deltaSD } from './restrictions.js';
import type { ConditionalMethod, EventStudyEstimates, SensitivityCi } from './types.js';
import { checkEstimates, resolveLVec } from './validate.js';

/** smoothness = Delta^SD(M); relative_magnitude = Delta^RM(Mbar); smoothness_relative_magnitude = Delta^SDRM(Mbar). */
export type SensitivityRestriction = 'smoothness' | 'relative_magnitude' | 'smoothness_relative_magnitude';
const RESTRICTIONS: readonly SensitivityRestriction[] = ['smoothness', 'relative_magnitude', 'smoothness_relative_magnitude'];
export type SensitivityMethod = ConditionalMethod | 'FLCI';

export interface HonestDidOptions {
  readonly restriction: SensitivityRestriction;
  /**
   * Default: 'FLCI' for smoothness, 'C-LF' for the relative-magnitude bounds (as the R package).
   * 'C-F' (conditional-FLCI hybrid) exists for smoothness without sign / monotonicity restrictions.
   */
  readonly method?: SensitivityMethod;
  /** M (smoothness) or Mbar (relative magnitudes) values; default: the package's 10-point grids. */
  readonly grid?: readonly number[];
  readonly lVec?: readonly number[];
  readonly alpha?: number;
  readonly gridPoints?: number;
  readonly seed?: number;
  readonly flciQuantile?: FoldedQuantileMethod;
  /** Also bisect M / Mbar between the grid values bracketing the breakdown, to this tolerance (default: grid only). */
  readonly breakdownTolerance?: number;
  /** Intersect the restriction with a sign of the post-period bias (conditional / C-LF methods only). */
  readonly biasDirection?: 'positive' | 'negative';
  /** Intersect the restriction with monotone trend differences (conditional / C-LF methods only). */
  readonly monotonicityDirection?: 'increasing' | 'decreasing';
}

export interface OriginalCi {
  readonly estimate: number;
  readonly se: number;
  readonly lb: number;
  readonly ub: number;
}

export interface HonestDidResult {
  readonly restriction: SensitivityRestriction;
  readonly method: SensitivityMethod;
  readonly parameterName: 'M' | 'Mbar';
  readonly lVec: number[];
  readonly alpha: number;
  readonly original: OriginalCi;
  readonly rows: SensitivityCi[];
  readonly breakdown: GridBreakdown;
  /** Present when breakdownTolerance was given. */
  readonly breakdownRefined?: RefinedBreakdown;
  /** Rows whose CI is open at a grid end or had failed LPs, for the report's notes. */
  readonly warnings: string[];
  readonly solver: string;
}

/** l'beta_post -/+ z_{1-alpha/2} sqrt(l' Sigma_post l) (HonestDiD's constructOriginalCS). */
export function originalCi(es: EventStudyEstimates, lVec?: readonly number[], alpha = 0.05): OriginalCi {
  checkEstimates(es);
  const l = resolveLVec(es, lVec);
  const post = range(es.numPrePeriods, es.numPrePeriods + es.numPostPeriods);
  const estimate = post.reduce((s, j, k) => s + l[k]! * es.betahat[j]!, 0);
  const se = Math.sqrt(quadForm(subMatrix(es.sigma as Mat, post, post), l));
  const z = qnorm(1 - alpha / 2);
  return { estimate, se, lb: estimate - z * se, ub: estimate + z * se };
}

/** Upper end of the default M grid: the largest pre-period second difference plus z_{1-alpha} times its SE. */
export function deltaSDUpperBoundMpre(es: EventStudyEstimates, alpha = 0.05): number {
  checkEstimates(es);
  const K = es.numPrePeriods;
  if (K < 2) throw new Error('sensitivity: the M bound from pre-periods needs numPrePeriods >= 2');
  const { A } = deltaSD(K, 0, 0);
  const pre = range(0, K);
  const diffs = matVec(A, es.betahat.slice(0, K));
  const v = matMul(matMul(A, subMatrix(es.sigma as Mat, pre, pre)), transpose(A));
  const z = qnorm(1 - alpha);
  return Math.max(...diffs.map((d, i) => d + z * Math.sqrt(v[i]![i]!)));
}

export function defaultGrid(es: EventStudyEstimates, restriction: SensitivityRestriction): number[] {
  if (restriction !== 'smoothness') return rSeq(0, 2, 10);
  const top = es.numPrePeriods === 1 ? Math.sqrt(es.sigma[0]![0]!) : deltaSDUpperBoundMpre(es, 0.05);
  return rSeq(0, top, 10);
}

export async function honestDid(es: EventStudyEstimates, options: HonestDidOptions): Promise<HonestDidResult> {
  checkEstimates(es);
  const { restriction } = options;
  if (!RESTRICTIONS.includes(restriction)) throw new Error(`sensitivity: restriction must be one of ${RESTRICTIONS.join(', ')}; got '${String(restriction)}'`);
  const method: SensitivityMethod = options.method ?? (restriction === 'smoothness' ? 'FLCI' : 'C-LF');
  if (restriction !== 'smoothness' && method === 'FLCI') throw new Error("sensitivity: method 'FLCI' exists only for the smoothness restriction; use 'C-LF' or 'Conditional'");
  const alpha = options.alpha ?? 0.05;
  const l = resolveLVec(es, options.lVec);
  const grid = options.grid ? [...options.grid] : defaultGrid(es, restriction);
  if (grid.some((v, i) => !(v >= 0) || (i > 0 && v <= grid[i - 1]!))) throw new Error('sensitivity: the M / Mbar grid must be non-negative and increasing');
  const shaped = options.biasDirection !== undefined || options.monotonicityDirection !== undefined;
  if (shaped && method === 'FLCI') throw new Error("sensitivity: the FLCI does not use sign or monotonicity restrictions; use method 'C-LF' or 'Conditional'");
  const common = { lVec: l, alpha, gridPoints: options.gridPoints, seed: options.seed, biasDirection: options.biasDirection, monotonicityDirection: options.monotonicityDirection };
  const ciOver = async (values: readonly number[]): Promise<SensitivityCi[]> => {
    if (method === 'FLCI') return flciRows(await flciDeltaSD(es, values, { lVec: l, alpha, quantile: options.flciQuantile, seed: options.seed }));
    if (restriction === 'smoothness') return conditionalCiDeltaSD(es, values, { ...common, method });
    if (restriction === 'relative_magnitude') return conditionalCiDeltaRM(es, values, { ...common, method });
    return conditionalCiDeltaSDRM(es, values, { ...common, method });
  };
  const rows = await ciOver(grid);
  const warnings: string[] = [];
  for (const r of rows) {
    if (r.openAtGridEnd) warnings.push(`${r.delta} ${method} at ${r.parameter}: CI open at a grid end (the true CI is wider)`);
    if (r.lpFailures > 0) warnings.push(`${r.delta} ${method} at ${r.parameter}: ${r.lpFailures} grid points whose LP failed were kept (not rejected)`);
    if (r.lb === null) warnings.push(`${r.delta} ${method} at ${r.parameter}: no grid point accepted (empty CI on the grid)`);
  }
  const breakdown = breakdownOnGrid(rows);
  const breakdownRefined = options.breakdownTolerance === undefined
    ? undefined
    : await refineBreakdown(async (v) => (await ciOver([v]))[0]!, breakdown.lastExcludesZero, breakdown.firstContainsZero, options.breakdownTolerance);
  return {
    ...(breakdownRefined ? { breakdownRefined } : {}),
    restriction, method, parameterName: restriction === 'smoothness' ? 'M' : 'Mbar', lVec: l, alpha,
    original: originalCi(es, l, alpha), rows, breakdown, warnings, solver: (await lpSolver()).version,
  };
}
