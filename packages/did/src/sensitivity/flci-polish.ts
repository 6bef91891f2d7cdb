/**
 * Exact solution of the FLCI Lagrangian on a given sign pattern, with its optimality check.
 *
 * In the cumulative sums c_i = w_1 + ... + w_i (i < K; c_K = sum(w) is fixed) the Lagrangian QP is
 *   min_c  t * ||c||_1 + c'Rc + g'c,
 * whose solution, once the support S and signs s are known, solves the linear system
 * 2 R_SS c_S = -(g_S + t s_S). HiGHS supplies the pattern; solving the system removes the QP
 * solver's tolerance from the weights, and the KKT conditions certify the result independently of
 * the solver's status (HiGHS's active-set QP can report a spurious 'unbounded' on this problem
 * near the t where c reaches 0, e.g. on LWdata).
 */
import { inverse, matVec, subMatrix, type Mat } from './matrix.js';

export interface CumsumLagrangian {
  /** Quadratic form of the variance in c (positive definite when Sigma_pre is). */
  readonly R: Mat;
  /** Linear term of the variance in c. */
  readonly g: readonly number[];
}

type Pattern = Map<number, number>;

/** Solution of 2 R_SS c_S = -(g_S + t s_S) for the pattern (index -> sign), zero elsewhere. */
function solvePattern(p: CumsumLagrangian, t: number, pattern: Pattern): number[] {
  const c = new Array<number>(p.g.length).fill(0);
  const support = [...pattern.keys()].sort((x, y) => x - y);
  if (support.length === 0) return c;
  const rhs = support.map((i) => -(p.g[i]! + t * pattern.get(i)!) / 2);
  let inv: Mat;
  try {
    inv = inverse(subMatrix(p.R as Mat, support, support));
  } catch (e) {
    throw new Error(`sensitivity FLCI: singular variance on the support ${support.join(',')} (${String(e)})`);
  }
  matVec(inv, rhs).forEach((v, k) => (c[support[k]!] = v));
  return c;
}

/**
 * The KKT point reached from the support and signs of `guess` (entries at most `zeroTol` in
 * absolute value count as zero), correcting the pattern a few times where the optimality
 * conditions fail (drop a coordinate whose sign flipped, else add the most violated one);
 * null when no certified point is found within `maxSteps` corrections.
 */
export function solveOnPattern(p: CumsumLagrangian, t: number, guess: readonly number[], zeroTol: number, maxSteps = 2 * guess.length + 2): number[] | null {
  const F = p.g.length;
  const pattern: Pattern = new Map();
  guess.forEach((v, i) => {
    if (Math.abs(v) > zeroTol) pattern.set(i, Math.sign(v));
  });
  const slack = 1e-9 * (t + Math.max(...p.g.map(Math.abs), 1e-300));
  for (let step = 0; step <= maxSteps; step++) {
    const c = solvePattern(p, t, pattern);
    const flipped = [...pattern.entries()].filter(([i, s]) => Math.sign(c[i]!) !== s).map(([i]) => i);
    if (flipped.length > 0) {
      flipped.forEach((i) => pattern.delete(i));
      continue;
    }
    // Subgradient condition off the support: |grad_i| <= t.
    const grad = matVec(p.R as Mat, c).map((v, i) => 2 * v + p.g[i]!);
    let worst = -1;
    for (let i = 0; i < F; i++) {
      if (pattern.has(i)) continue;
      const excess = Math.abs(grad[i]!) - t - slack;
      if (excess > 0 && (worst < 0 || excess > Math.abs(grad[worst]!) - t - slack)) worst = i;
    }
    if (worst < 0) return c;
    pattern.set(worst, -Math.sign(grad[worst]!));
  }
  return null;
}
