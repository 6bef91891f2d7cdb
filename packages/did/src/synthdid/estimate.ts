/**
 * synthdid_estimate / sc_estimate / did_estimate (R synthdid 0.0.9, Algorithm 1 of Arkhangelsky
 * et al. 2021) on a block-adoption outcome matrix: controls in rows 0..N0-1, pre-periods in
 * columns 0..T0-1. With covariates (R's X) the weights and beta are solved jointly (covariates.ts).
 */
import { adjustedMatrix, solveWeightsCovariates } from './covariates.js';
import { solveWeights, weightedDid } from './weights.js';
import type { OutcomeMatrix, SynthdidCovariateFit, SynthdidTuning, SynthdidEstimate, SynthdidEstimator, SynthdidOptions } from './types.js';

function fail(message: string): never {
  throw new Error(`synthdid: ${message}`);
}

/** Sample sd of the first differences of every control unit's pre-period outcomes (the default noise level). */
export function defaultNoiseLevel(y: OutcomeMatrix, n0: number, t0: number): number {
  const diffs: number[] = [];
  for (let i = 0; i < n0; i++) {
    const r = i * y.nPeriods;
    for (let j = 1; j < t0; j++) diffs.push(y.values[r + j]! - y.values[r + j - 1]!);
  }
  if (diffs.length < 2) return Number.NaN;
  let mean = 0;
  for (const d of diffs) mean += d;
  mean /= diffs.length;
  let ss = 0;
  for (const d of diffs) ss += (d - mean) * (d - mean);
  return Math.sqrt(ss / (diffs.length - 1));
}

function checkSetup(y: OutcomeMatrix, n0: number, t0: number): void {
  if (y.values.length !== y.nUnits * y.nPeriods) fail(`outcome matrix has ${y.values.length} values, expected ${y.nUnits} x ${y.nPeriods}`);
  if (!Number.isInteger(n0) || n0 < 1 || n0 >= y.nUnits) fail(`N0 must be an integer in [1, ${y.nUnits - 1}] (controls before treated), got ${n0}`);
  if (!Number.isInteger(t0) || t0 < 1 || t0 >= y.nPeriods) fail(`T0 must be an integer in [1, ${y.nPeriods - 1}] (pre-periods), got ${t0}`);
  for (let i = 0; i < y.values.length; i++) {
    if (!Number.isFinite(y.values[i]!)) fail(`outcome is not finite at unit row ${Math.floor(i / y.nPeriods)}, period column ${i % y.nPeriods}`);
  }
}

function checkCovariates(y: OutcomeMatrix, x: readonly OutcomeMatrix[]): void {
  x.forEach((m, k) => {
    if (m.nUnits !== y.nUnits || m.nPeriods !== y.nPeriods || m.values.length !== y.values.length) {
      fail(`covariate ${k + 1} is ${m.nUnits} x ${m.nPeriods}, the outcome matrix ${y.nUnits} x ${y.nPeriods}`);
    }
    for (let i = 0; i < m.values.length; i++) {
      if (!Number.isFinite(m.values[i]!)) fail(`covariate ${k + 1} is not finite at unit row ${Math.floor(i / m.nPeriods)}, period column ${i % m.nPeriods}`);
    }
  });
}

function weightsOption(name: string, v: ArrayLike<number> | undefined, n: number): Float64Array | null {
  if (v === undefined) return null;
  if (v.length !== n) fail(`option '${name}' has ${v.length} weights, expected ${n}`);
  const out = Float64Array.from(v);
  for (const w of out) if (!Number.isFinite(w)) fail(`option '${name}' has a non-finite weight`);
  return out;
}

/** Resolves the package defaults for one estimator on this matrix. */
export function resolveOptions(
  y: OutcomeMatrix,
  n0: number,
  t0: number,
  estimator: SynthdidEstimator,
  options: SynthdidOptions,
): { opts: SynthdidTuning; omega: Float64Array | null; lambda: Float64Array | null } {
  const n1 = y.nUnits - n0;
  const t1 = y.nPeriods - t0;
  const noiseLevel = options.noiseLevel ?? defaultNoiseLevel(y, n0, t0);
  const etaOmega = options.etaOmega ?? (estimator === 'sc' ? 1e-6 : (n1 * t1) ** 0.25);
  const etaLambda = options.etaLambda ?? 1e-6;
  const zetaOmega = options.zetaOmega ?? etaOmega * noiseLevel;
  const zetaLambda = options.zetaLambda ?? etaLambda * noiseLevel;
  const minDecrease = options.minDecrease ?? 1e-5 * noiseLevel;
  let omega = weightsOption('omega', options.omega, n0);
  let lambda = weightsOption('lambda', options.lambda, t0);
  if (estimator === 'sc' && !lambda) lambda = new Float64Array(t0);
  if (estimator === 'did') {
    omega ??= new Float64Array(n0).fill(1 / n0);
    lambda ??= new Float64Array(t0).fill(1 / t0);
  }
  const opts: SynthdidTuning = {
    noiseLevel,
    zetaOmega,
    zetaLambda,
    omegaIntercept: options.omegaIntercept ?? estimator !== 'sc',
    lambdaIntercept: options.lambdaIntercept ?? true,
    updateOmega: options.updateOmega ?? omega === null,
    updateLambda: options.updateLambda ?? lambda === null,
    minDecrease,
    maxIter: options.maxIter ?? 10000,
    sparsify: options.sparsify ?? true,
    maxIterPreSparsify: options.maxIterPreSparsify ?? 100,
  };
  if ((opts.updateOmega || opts.updateLambda) && !(Number.isFinite(zetaOmega) && Number.isFinite(zetaLambda) && Number.isFinite(minDecrease))) {
    fail(`the noise level is not finite (${noiseLevel}): it needs at least 3 pre-periods or two control units with 2; pass option 'noiseLevel'`);
  }
  if (!opts.updateOmega && !omega) fail(`updateOmega = false needs option 'omega'`);
  if (!opts.updateLambda && !lambda) fail(`updateLambda = false needs option 'lambda'`);
  if (!Number.isInteger(opts.maxIter) || opts.maxIter < 0) fail(`option 'maxIter' must be a non-negative integer, got ${opts.maxIter}`);
  return { opts, omega, lambda };
}

/** tau.sc(t) = treated mean - omega'controls; curve(t) = tau.sc(t) - lambda' tau.sc(pre). */
export function effectCurve(y: OutcomeMatrix, n0: number, t0: number, omega: Float64Array, lambda: Float64Array): Float64Array {
  const nT = y.nPeriods;
  const n1 = y.nUnits - n0;
  const gap = new Float64Array(nT);
  for (let i = 0; i < y.nUnits; i++) {
    const w = i < n0 ? -omega[i]! : 1 / n1;
    for (let j = 0; j < nT; j++) gap[j] = gap[j]! + w * y.values[i * nT + j]!;
  }
  let base = 0;
  for (let j = 0; j < t0; j++) base += gap[j]! * lambda[j]!;
  return Float64Array.from(gap.subarray(t0), (g) => g - base);
}

function identityRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Synthetic DID (estimator 'synthdid'), synthetic control ('sc') or plain DID ('did'). */
export function synthdidEstimate(y: OutcomeMatrix, n0: number, t0: number, options: SynthdidOptions = {}, estimator: SynthdidEstimator = 'synthdid'): SynthdidEstimate {
  checkSetup(y, n0, t0);
  const x = options.covariates ?? [];
  checkCovariates(y, x);
  const { opts, omega, lambda } = resolveOptions(y, n0, t0, estimator, options);
  const rows = identityRows(y.nUnits);
  let w: { omega: Float64Array; lambda: Float64Array; iterationsOmega: number; iterationsLambda: number };
  let covariates: SynthdidCovariateFit | undefined;
  let adjusted = y;
  if (x.length > 0) {
    const [c] = solveWeightsCovariates(y, x, t0, [{ rows, n0, omega, lambda }], opts);
    if (!Number.isFinite(c!.value)) fail(`the joint weight and covariate fit broke down (objective ${c!.value}); check the covariates for near-collinearity with the outcome's scale`);
    const its = c!.iterations;
    w = { omega: c!.omega, lambda: c!.lambda, iterationsOmega: opts.updateOmega ? its : 0, iterationsLambda: opts.updateLambda ? its : 0 };
    covariates = { x, beta: c!.beta, iterations: its };
    adjusted = adjustedMatrix(y, x, c!.beta);
  } else {
    w = solveWeights(y, t0, [{ rows, n0, omega, lambda }], opts)[0]!;
  }
  const estimate = weightedDid(adjusted, t0, rows, n0, w.omega, w.lambda);
  if (!Number.isFinite(estimate)) fail(`the estimate is not finite (${estimate}); noise level ${opts.noiseLevel}, zeta.omega ${opts.zetaOmega}, zeta.lambda ${opts.zetaLambda} (a zero noise level leaves the weight problems unregularised: pass noiseLevel)`);
  return {
    estimator,
    estimate,
    omega: w.omega,
    lambda: w.lambda,
    effectCurve: effectCurve(adjusted, n0, t0, w.omega, w.lambda),
    n0,
    n1: y.nUnits - n0,
    t0,
    t1: y.nPeriods - t0,
    options: opts,
    iterationsOmega: w.iterationsOmega,
    iterationsLambda: w.iterationsLambda,
    y,
    ...(covariates ? { covariates } : {}),
  };
}

export function scEstimate(y: OutcomeMatrix, n0: number, t0: number, options: SynthdidOptions = {}): SynthdidEstimate {
  return synthdidEstimate(y, n0, t0, options, 'sc');
}

export function didEstimate(y: OutcomeMatrix, n0: number, t0: number, options: SynthdidOptions = {}): SynthdidEstimate {
  return synthdidEstimate(y, n0, t0, options, 'did');
}
