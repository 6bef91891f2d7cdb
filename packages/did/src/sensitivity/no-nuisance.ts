/**
 * The single-post-period case (no nuisance parameters): HonestDiD's test of the largest normalised
 * moment of A y - d, conditional on which moment is largest (Andrews, Roth & Pakes 2023, Sec. 3),
 * optionally as the LF hybrid.
 */
import { dot, matMul, matVec, quadForm, symmetricSqrt, transpose, type Mat } from './matrix.js';
import { quantileType7, RRandom, rmvnormR } from './r-rng.js';
import { truncatedNormalQuantile } from './truncated-normal.js';

/** Least-favourable critical value without nuisance: the (1 - kappa) quantile of max_i xi_i / sd_i. */
export function leastFavorableCvNoNuisance(sigmaY: Mat, kappa: number, seed: number): number {
  const sd = sigmaY.map((r, i) => Math.sqrt(r[i]!));
  const draws = rmvnormR(new RRandom(seed), 1000, symmetricSqrt(sigmaY));
  return quantileType7(draws.map((x) => Math.max(...x.map((v, i) => v / sd[i]!))), 1 - kappa);
}

export interface NoNuisanceTest {
  readonly A: Mat;
  readonly d: readonly number[];
  /** Covariance of y (the full betahat vector). */
  readonly sigma: Mat;
  readonly alpha: number;
  readonly lf?: { readonly kappa: number; readonly cv: number };
  /** Further inequalities Abar y <= dbar of the conditioning event (the C-F hybrid's FLCI rows). */
  readonly extraRows?: { readonly A: Mat; readonly d: readonly number[] };
}

/** true = reject that y's mean satisfies A mu <= d. */
export function rejectNoNuisance(t: NoNuisanceTest, y: readonly number[]): boolean {
  const sigmaTilde = matMul(matMul(t.A, t.sigma), transpose(t.A)).map((r, i) => Math.sqrt(r[i]!));
  const At = t.A.map((row, i) => row.map((v) => v / sigmaTilde[i]!));
  const dt = t.d.map((v, i) => v / sigmaTilde[i]!);
  const moments = matVec(At, y).map((v, i) => v - dt[i]!);
  let k = 0;
  for (let i = 1; i < moments.length; i++) if (moments[i]! > moments[k]!) k = i;
  const maxMoment = moments[k]!;
  let size = t.alpha;
  if (t.lf) {
    if (maxMoment > t.lf.cv) return true;
    size = (t.alpha - t.lf.kappa) / (1 - t.lf.kappa);
  }
  const gamma = At[k]!;
  const Abar = At.map((row) => row.map((v, j) => v - gamma[j]!));
  const dbar = dt.map((v) => v - dt[k]!);
  if (t.extraRows) {
    Abar.push(...t.extraRows.A.map((row) => [...row]));
    dbar.push(...t.extraRows.d);
  }
  const s2 = quadForm(t.sigma, gamma);
  const sigmabar = Math.sqrt(s2);
  const c = matVec(t.sigma, gamma).map((v) => v / s2);
  const gy = dot(gamma, y);
  const z = y.map((v, i) => v - c[i]! * gy);
  let vlo = -Infinity;
  let vup = Infinity;
  Abar.forEach((row, i) => {
    const ac = dot(row, c);
    const obj = (dbar[i]! - dot(row, z)) / ac;
    if (ac < 0) vlo = Math.max(vlo, obj);
    else if (ac > 0) vup = Math.min(vup, obj);
  });
  const mu = dt[k]!;
  const cv = Math.max(0, mu + sigmabar * truncatedNormalQuantile(1 - size, (vlo - mu) / sigmabar, (vup - mu) / sigmabar));
  return maxMoment + dt[k]! > cv;
}
