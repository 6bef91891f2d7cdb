/**
 * Pre-trends power analysis (Roth 2022, "Pretest with Caution: Event-Study Estimates after Testing
 * for Parallel Trends", AER: Insights 4(3)). The event-study estimates betahat ~ N(tau + delta, Sigma),
 * tau = 0 before treatment. The pre-test passes when every pre-period |betahat_t / se_t| <= z_{1-alpha/2}
 * (the rectangle test the paper studies). Against a hypothesised trend delta (linear: slope * (t - ref))
 * this computes
 *   - power = 1 - P(pass | delta) and the Bayes factor P(pass | delta) / P(pass | 0),
 *   - the likelihood ratio of the observed pre-period estimates, phi(b_pre; delta_pre) / phi(b_pre; 0),
 *   - the expected post-period estimate (minus tau: the bias) conditional on passing:
 *     delta_post + Sigma_post,pre Sigma_pre^-1 (E[b_pre | pass] - delta_pre),
 * and the slope at which the pre-test has a given power (root of power(slope) - target).
 * Probabilities and truncated means come from mvn-rectangle.ts (randomised lattice, seeded): every
 * evaluation reuses the same lattice, so power(slope) is a smooth deterministic function for the root.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { cholesky, mvnRectangle, MVN_DEFAULTS, type MvnRectangleOptions } from './mvn-rectangle.js';

export interface PretrendsInput {
  /** Event-study coefficients (pre and post; the reference period omitted). */
  readonly betahat: readonly number[];
  readonly sigma: readonly (readonly number[])[];
  /** Relative time of each coefficient, aligned with betahat. */
  readonly eventTimes: readonly number[];
  /** The omitted period, where the trend is normalised to 0 (pre-periods are t < ref). */
  readonly referencePeriod: number;
}

export interface PretrendsOptions extends MvnRectangleOptions {
  /** Size of each pre-period t-test (default 0.05: |t| <= 1.96). */
  readonly alpha?: number;
}

export interface PretrendsPowerResult {
  /** The hypothesised trend, aligned with betahat. */
  readonly delta: number[];
  readonly power: number;
  readonly powerStandardError: number;
  readonly probPassUnderTrend: number;
  readonly probPassUnderParallel: number;
  /** P(pass | delta) / P(pass | 0): how much passing the pre-test moves the odds against delta. */
  readonly bayesFactor: number;
  /** phi(b_pre; delta_pre, Sigma_pre) / phi(b_pre; 0, Sigma_pre) at the observed pre-period estimates. */
  readonly likelihoodRatio: number;
  /** E[betahat - tau | pass] for every coefficient (pre ones: the truncated mean of b_pre). */
  readonly meanAfterPretest: number[];
  readonly meanAfterPretestStandardError: number[];
  /** Post-period rows only: event time, unconditional bias delta_t, bias conditional on passing. */
  readonly post: { eventTime: number; bias: number; biasAfterPretest: number }[];
}

interface Split {
  readonly pre: number[];
  readonly post: number[];
  readonly sigmaPre: number[][];
  readonly crit: number;
  readonly se: number[];
}

function split(input: PretrendsInput, alpha: number): Split {
  const n = input.betahat.length;
  if (input.sigma.length !== n || input.eventTimes.length !== n) throw new Error(`pretrends: betahat (${n}), sigma (${input.sigma.length}) and eventTimes (${input.eventTimes.length}) must have the same length`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`pretrends: option alpha must be in (0, 1), got ${alpha}`);
  if (input.eventTimes.includes(input.referencePeriod)) throw new Error(`pretrends: the reference period ${input.referencePeriod} must not be among the coefficients' event times`);
  const pre: number[] = [];
  const post: number[] = [];
  input.eventTimes.forEach((t, i) => (t < input.referencePeriod ? pre : post).push(i));
  if (pre.length < 1) throw new Error(`pretrends: need at least one pre-period coefficient (event time < ${input.referencePeriod})`);
  const sigmaPre = pre.map((i) => pre.map((j) => input.sigma[i]![j]!));
  return { pre, post, sigmaPre, crit: normalQuantile(1 - alpha / 2, 0, 1), se: pre.map((i) => Math.sqrt(input.sigma[i]![i]!)) };
}

function solveChol(L: number[][], v: readonly number[]): number[] {
  const d = L.length;
  const z = new Array<number>(d);
  for (let i = 0; i < d; i++) { let s = v[i]!; for (let j = 0; j < i; j++) s -= L[i]![j]! * z[j]!; z[i] = s / L[i]![i]!; }
  const x = new Array<number>(d);
  for (let i = d - 1; i >= 0; i--) { let s = z[i]!; for (let j = i + 1; j < d; j++) s -= L[j]![i]! * x[j]!; x[i] = s / L[i]![i]!; }
  return x;
}

const passProbability = (s: Split, deltaPre: readonly number[], options: PretrendsOptions, mean: boolean) =>
  mvnRectangle(deltaPre, s.sigmaPre, s.se.map((v) => -s.crit * v), s.se.map((v) => s.crit * v), { ...options, truncatedMean: mean });

export const linearTrend = (input: Pick<PretrendsInput, 'eventTimes' | 'referencePeriod'>, slope: number): number[] =>
  input.eventTimes.map((t) => slope * (t - input.referencePeriod));

/** Power of the pre-test, Bayes factor, likelihood ratio and post-pretest bias against the trend delta. */
export function pretrendsPower(input: PretrendsInput, delta: readonly number[], options: PretrendsOptions = {}): PretrendsPowerResult {
  return powerAt(split(input, options.alpha ?? 0.05), input, delta, options, null);
}

function powerAt(s: Split, input: PretrendsInput, delta: readonly number[], options: PretrendsOptions, parallelProbability: number | null): PretrendsPowerResult {
  if (delta.length !== input.betahat.length || delta.some((v) => !Number.isFinite(v))) throw new Error(`pretrends: delta must hold ${input.betahat.length} finite values (one per coefficient)`);
  const deltaPre = s.pre.map((i) => delta[i]!);
  const under = passProbability(s, deltaPre, options, true);
  const p0 = parallelProbability ?? passProbability(s, s.pre.map(() => 0), options, false).probability;
  if (!(under.probability > 0) || under.truncatedMean === null) throw new Error('pretrends: the pre-test passes with probability 0 under this trend; the conditional bias is undefined');
  const L = cholesky(s.sigmaPre, 'pretrends (pre-period vcov)');
  const bPre = s.pre.map((i) => input.betahat[i]!);
  const qa = solveChol(L, bPre);
  const diff = bPre.map((v, k) => v - deltaPre[k]!);
  const qb = solveChol(L, diff);
  const quad = (x: number[], y: number[]) => x.reduce((acc, v, k) => acc + v * y[k]!, 0);
  const likelihoodRatio = Math.exp(-0.5 * quad(diff, qb) + 0.5 * quad(bPre, qa));
  // conditional mean of the post-period estimates given the pre-period ones lie in the rectangle
  const shift = solveChol(L, under.truncatedMean.map((m, k) => m - deltaPre[k]!));
  const meanAfterPretest = new Array<number>(input.betahat.length);
  const meanSe = new Array<number>(input.betahat.length);
  s.pre.forEach((i, k) => { meanAfterPretest[i] = under.truncatedMean![k]!; meanSe[i] = under.truncatedMeanStandardError![k]!; });
  for (const i of s.post) {
    meanAfterPretest[i] = delta[i]! + s.pre.reduce((acc, j, k) => acc + input.sigma[i]![j]! * shift[k]!, 0);
    // propagate the truncated-mean error linearly (the pre errors are correlated; this is a bound-like summary)
    const w = solveChol(L, s.pre.map((j) => input.sigma[i]![j]!));
    meanSe[i] = Math.sqrt(w.reduce((acc, v, k) => acc + (v * under.truncatedMeanStandardError![k]!) ** 2, 0));
  }
  const result: PretrendsPowerResult = {
    delta: [...delta],
    power: 1 - under.probability,
    powerStandardError: under.standardError,
    probPassUnderTrend: under.probability,
    probPassUnderParallel: p0,
    bayesFactor: under.probability / p0,
    likelihoodRatio,
    meanAfterPretest,
    meanAfterPretestStandardError: meanSe,
    post: s.post.map((i) => ({ eventTime: input.eventTimes[i]!, bias: delta[i]!, biasAfterPretest: meanAfterPretest[i]! })),
  };
  if (![result.power, result.bayesFactor, result.likelihoodRatio, ...meanAfterPretest].every(Number.isFinite)) throw new Error('pretrends: non-finite result (check the covariance scale)');
  return result;
}

export interface SlopeForPowerResult {
  readonly targetPower: number;
  readonly slope: number;
  /** Power at the returned slope (equals targetPower up to the root tolerance). */
  readonly power: number;
  readonly iterations: number;
}

/**
 * The positive slope of a linear trend against which the pre-test has power targetPower. Power is
 * symmetric in the sign of the slope (the rectangle is symmetric about 0) and rises with |slope|.
 * Root by the Illinois variant of regula falsi on a bracket grown by doubling.
 */
export function slopeForPower(input: Pick<PretrendsInput, 'sigma' | 'eventTimes' | 'referencePeriod'>, targetPower: number, options: RootOptions = {}): SlopeForPowerResult {
  const full: PretrendsInput = { ...input, betahat: input.eventTimes.map(() => 0) };
  const s = split(full, options.alpha ?? 0.05);
  return rootFor(s, input, targetPower, options, passProbability(s, s.pre.map(() => 0), options, false).probability);
}

type RootOptions = PretrendsOptions & { readonly tolerance?: number };

function rootFor(s: Split, input: Pick<PretrendsInput, 'eventTimes' | 'referencePeriod'>, targetPower: number, options: RootOptions, parallelProbability: number): SlopeForPowerResult {
  const alpha = options.alpha ?? 0.05;
  const p0 = 1 - parallelProbability;
  if (!(targetPower > p0 && targetPower < 1)) throw new Error(`pretrends: target power must lie in (${p0.toPrecision(4)}, 1) (the pre-test's size under parallel trends, alpha = ${alpha}), got ${targetPower}`);
  const times = s.pre.map((i) => input.eventTimes[i]! - input.referencePeriod);
  const g = (slope: number) => 1 - passProbability(s, times.map((t) => slope * t), options, false).probability - targetPower;
  let lo = 0;
  let flo = p0 - targetPower;
  let hi = Math.max(...s.se) / Math.max(...times.map(Math.abs));
  let fhi = g(hi);
  let iterations = 1;
  while (fhi < 0) {
    lo = hi; flo = fhi; hi *= 2; fhi = g(hi); iterations++;
    if (iterations > 200) throw new Error('pretrends: could not bracket the slope for the target power');
  }
  const tol = options.tolerance ?? 1e-10;
  let side = 0;
  let x = hi;
  for (let it = 0; it < 200; it++) {
    x = (lo * fhi - hi * flo) / (fhi - flo);
    const fx = g(x);
    iterations++;
    if (Math.abs(fx) < tol || hi - lo < tol * Math.max(1, hi)) break;
    if (fx * fhi > 0) { hi = x; fhi = fx; if (side === -1) flo /= 2; side = -1; }
    else { lo = x; flo = fx; if (side === 1) fhi /= 2; side = 1; }
  }
  return { targetPower, slope: x, power: g(x) + targetPower, iterations };
}

export interface PretrendsAnalysisOptions extends RootOptions {
  /** Powers for which to find the linear-trend slope (default [0.5, 0.8], as Roth 2022). */
  readonly powers?: readonly number[];
  /** Further hypothesised slopes to evaluate (default none). */
  readonly slopes?: readonly number[];
}

export interface PretrendsAnalysisResult {
  readonly probPassUnderParallel: number;
  readonly slopeForPower: SlopeForPowerResult[];
  /** One row per slope: those for the requested powers, then the requested slopes. */
  readonly atSlope: (PretrendsPowerResult & { readonly slope: number; readonly source: 'power' | 'slope' })[];
  readonly criticalValue: number;
  readonly settings: { readonly points: number; readonly shifts: number; readonly seed: number; readonly alpha: number };
}

/** The paper's table in one pass: P(pass | parallel) once, slopes for the powers, and every quantity at each slope. */
export function pretrendsAnalysis(input: PretrendsInput, options: PretrendsAnalysisOptions = {}): PretrendsAnalysisResult {
  const alpha = options.alpha ?? 0.05;
  const s = split(input, alpha);
  const p0 = passProbability(s, s.pre.map(() => 0), options, false).probability;
  const roots = (options.powers ?? [0.5, 0.8]).map((p) => rootFor(s, input, p, options, p0));
  const slopes = [...roots.map((r) => ({ slope: r.slope, source: 'power' as const })), ...(options.slopes ?? []).map((v) => ({ slope: v, source: 'slope' as const }))];
  const atSlope = slopes.map(({ slope, source }) => ({ ...powerAt(s, input, linearTrend(input, slope), options, p0), slope, source }));
  return {
    probPassUnderParallel: p0,
    slopeForPower: roots,
    atSlope,
    criticalValue: s.crit,
    settings: { points: options.points ?? MVN_DEFAULTS.points, shifts: options.shifts ?? MVN_DEFAULTS.shifts, seed: options.seed ?? MVN_DEFAULTS.seed, alpha },
  };
}
