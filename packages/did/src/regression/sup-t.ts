import { createRng } from '@panel-lab/compute';
import { quantileType1 } from '../internal/stats.js';

/** Option of the regression-based event studies: a seeded sup-t critical value for uniform bands. */
export interface SimultaneousOptions {
  readonly seed: number;
  /** Default 10,000 draws. */
  readonly draws?: number;
}

/**
 * Sup-t critical value (Montiel Olea & Plagborg-Moller 2019): the (1 - alpha) quantile of
 * max_k |z_k| for z ~ N(0, R), R the correlation matrix of the coefficients, drawn with a seed.
 * Returns NaN when the covariance is not positive definite.
 */
export function supTCritical(vcov: readonly (readonly number[])[], alpha: number, options: SimultaneousOptions): number {
  const k = vcov.length;
  const draws = options.draws ?? 10_000;
  if (!Number.isInteger(options.seed)) throw new Error(`simultaneous: option seed must be an integer, got ${options.seed}`);
  if (!Number.isInteger(draws) || draws < 100) throw new Error(`simultaneous: option draws must be an integer >= 100, got ${draws}`);
  // Cholesky of the correlation matrix
  const L = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    for (let i = j; i < k; i++) {
      let s = vcov[i]![j]! / Math.sqrt(vcov[i]![i]! * vcov[j]![j]!);
      for (let m = 0; m < j; m++) s -= L[i * k + m]! * L[j * k + m]!;
      if (i === j) {
        if (!(s > 1e-12)) return Number.NaN;
        L[j * k + j] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j]!;
    }
  }
  const rng = createRng(options.seed);
  const e = new Float64Array(k);
  const maxAbs = new Float64Array(draws);
  for (let b = 0; b < draws; b++) {
    for (let j = 0; j < k; j++) e[j] = rng.normal();
    let m = 0;
    for (let i = 0; i < k; i++) {
      let z = 0;
      for (let j = 0; j <= i; j++) z += L[i * k + j]! * e[j]!;
      m = Math.max(m, Math.abs(z));
    }
    maxAbs[b] = m;
  }
  return quantileType1(maxAbs, 1 - alpha);
}
