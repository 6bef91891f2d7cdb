/**
 * Fixed-length confidence interval (FLCI) under Delta^SD(M): the affine estimator
 * l_pre'beta_pre + l'beta_post whose worst-case CI half-length over Delta^SD(M) is smallest
 * (Rambachan & Roth 2023, Section 4.1, after Armstrong & Kolesar).
 *
 * HonestDiD solves "least worst-case bias given sd <= h" as a second-order cone program; HiGHS
 * has no quadratic constraints, so we solve its Lagrangian, the QP
 *   min  t * sum(U) + var(w)   s.t.  |cumsum(w)| <= U,  sum(w) = sum_t t*l_t,
 * and move t until var(w) = h^2 (the constraint binds at the optimum; var is monotone in t).
 * The outer search over h is HonestDiD's derivative bisection, with the same folded-normal
 * quantile (simulated with R's draws by default).
 */
import { foldedNormalQuantile, type FoldedQuantileMethod } from './folded-normal.js';
import { solveOnPattern, type CumsumLagrangian } from './flci-polish.js';
import { lpSolver, type LpSolver, type ReusableLp } from './lp.js';
import { dot, matMul, matVec, quadForm, range, subMatrix, transpose, zeros, type Mat } from './matrix.js';
import type { EventStudyEstimates, SensitivityCi } from './types.js';
import { checkEstimates, resolveLVec } from './validate.js';

export interface FlciOptions {
  readonly lVec?: readonly number[];
  readonly alpha?: number;
  /** Grid size of HonestDiD's fallback search and its bisection step (default 100). */
  readonly numPoints?: number;
  readonly quantile?: FoldedQuantileMethod;
  readonly seed?: number;
}

export interface FlciResult {
  readonly M: number;
  readonly lb: number;
  readonly ub: number;
  /** Weights on (beta_pre, beta_post) of the optimal affine estimator. */
  readonly optimalVec: number[];
  readonly optimalHalfLength: number;
  /** Standard deviation h of the optimal estimator and its worst-case bias over Delta^SD(M). */
  readonly h: number;
  readonly maxBias: number;
  /** 'bisection' as in the package, or 'grid' when the bisection failed and the 100-point grid was used. */
  readonly search: 'bisection' | 'grid';
}

interface Frontier {
  readonly hMin: number;
  readonly h0: number;
  /** Least worst-case bias (per unit M) of estimators with sd <= h, and the weights w achieving it. */
  bias(h: number): { value: number; w: number[] };
  dispose(): void;
}

function buildFrontier(solver: LpSolver, es: EventStudyEstimates, l: readonly number[]): Frontier {
  const K = es.numPrePeriods;
  const P = es.numPostPeriods;
  const sigma = es.sigma as Mat;
  const pre = range(0, K);
  const post = range(K, K + P);
  // w -> l_pre: l_1 = w_1, l_j = w_j - w_{j-1}.
  const wToL = zeros(K, K);
  for (let i = 0; i < K; i++) {
    wToL[i]![i] = 1;
    if (i > 0) wToL[i]![i - 1] = -1;
  }
  const Q = matMul(matMul(transpose(wToL), subMatrix(sigma, pre, pre)), wToL);
  const a = matVec(transpose(wToL), matVec(subMatrix(sigma, pre, post), l)).map((v) => 2 * v);
  const c0 = quadForm(subMatrix(sigma, post, post), l);
  const variance = (w: readonly number[]) => quadForm(Q, w) + dot(a, w) + c0;
  let constant = -dot(range(1, P + 1), l);
  for (let s = 1; s <= P; s++) {
    let acc = 0;
    for (let k = 1; k <= s; k++) acc += k * l[P - s + k - 1]!;
    constant += Math.abs(acc);
  }
  const sumW = dot(range(1, P + 1), l);
  // Variables (U_1..U_K, w_1..w_K).
  const rows: number[][] = [];
  for (let i = 0; i < K; i++) {
    const plus = new Array<number>(2 * K).fill(0);
    const minus = new Array<number>(2 * K).fill(0);
    plus[i] = -1;
    minus[i] = -1;
    for (let j = 0; j <= i; j++) {
      plus[K + j] = 1;
      minus[K + j] = -1;
    }
    rows.push(plus, minus);
  }
  rows.push([...new Array<number>(K).fill(0), ...new Array<number>(K).fill(1)]);
  const rowLower = [...new Array<number>(2 * K).fill(-Infinity), sumW];
  const rowUpper = [...new Array<number>(2 * K).fill(0), sumW];
  const hessian = zeros(2 * K, 2 * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) hessian[K + i]![K + j] = 2 * Q[i]![j]!;
  const costFor = (t: number) => [...new Array<number>(K).fill(t), ...a];
  const qp: ReusableLp = solver.reusable({ cost: costFor(1), rows, rowLower, rowUpper, hessian });
  // The same problem in the cumulative sums c = cumsum(w)_{1..K-1} (w = D c with c_K = sumW):
  // variance = c'Rc + g'c + const, used to solve exactly on HiGHS's sign pattern (flci-polish.ts).
  const Rfull = matMul(matMul(transpose(wToL), Q), wToL);
  const bFull = matVec(transpose(wToL), a);
  const F = K - 1;
  const lagrangian: CumsumLagrangian = {
    R: subMatrix(Rfull, range(0, F), range(0, F)),
    g: range(0, F).map((i) => 2 * sumW * Rfull[i]![K - 1]! + bFull[i]!),
  };
  const fromCumsum = (c: readonly number[]) => range(0, K).map((i) => (i < F ? c[i]! : sumW) - (i > 0 ? c[i - 1]! : 0));
  let lastPattern: number[] | null = null;
  const solveAt = (t: number) => {
    const sol = qp.solve({ cost: costFor(t) });
    const wQp = Array.from(sol.x.slice(K));
    const cQp: number[] = [];
    wQp.slice(0, F).reduce((acc, v) => (cQp.push(acc + v), acc + v), 0);
    const scaleC = Math.max(Math.abs(sumW), ...cQp.map(Math.abs), 1e-300);
    const guesses: number[][] = cQp.every(Number.isFinite) ? [cQp] : [];
    // A failed QP (spurious 'unbounded') still tends to stop at the right pattern; else try the last
    // solved pattern and the corner c = 0.
    if (lastPattern) guesses.push(lastPattern);
    guesses.push(new Array<number>(F).fill(0));
    for (const guess of guesses) {
      for (const rel of [1e-8, 1e-6, 1e-10]) {
        const c = solveOnPattern(lagrangian, t, guess, rel * scaleC);
        if (!c) continue;
        lastPattern = c;
        const w = fromCumsum(c);
        return { t, w, variance: variance(w), bias: constant + c.reduce((acc, v) => acc + Math.abs(v), 0) + Math.abs(sumW) };
      }
    }
    if (sol.status === 'optimal') {
      // HiGHS's answer within its tolerances; no sign pattern passed the exact check (near-ties).
      const U = Array.from(sol.x.slice(0, K));
      return { t, w: wQp, variance: variance(wQp), bias: constant + U.reduce((acc, v) => acc + v, 0) };
    }
    throw new Error(`sensitivity FLCI: the worst-case-bias QP at t=${t} did not solve (HiGHS status ${sol.status}) and no sign pattern satisfies its optimality conditions`);
  };
  // Minimum-variance estimator (t -> 0) and the minimum-bias one HonestDiD takes as the upper end:
  // every admissible w has cumsum(w)_K = sumW, so w = sumW * e_K has the least bias, constant + |sumW|.
  const wMinBias = [...new Array<number>(K - 1).fill(0), sumW];
  const h0 = Math.sqrt(variance(wMinBias));
  const minBias = { value: constant + Math.abs(sumW), w: wMinBias };
  const hMin = Math.sqrt(solveAt(0).variance);
  const scale = Math.max(c0, 1e-300);
  return {
    hMin,
    h0,
    bias(h: number) {
      const target = h * h;
      // At h >= h0 the least-bias estimator is admissible; solving for it would drive t onto the
      // degenerate kink where the QP path reaches the corner w = sumW * e_K.
      if (target >= h0 * h0) return { value: minBias.value, w: [...minBias.w] };
      let lo = 0;
      let loV = solveAt(0).variance - target;
      if (loV >= 0) {
        const s = solveAt(0);
        return { value: s.bias, w: s.w };
      }
      let hi = scale;
      let top = solveAt(hi);
      // Beyond t ~ 1e12 * scale the bias term dominates: the variance constraint no longer binds.
      for (let i = 0; i < 200 && top.variance < target && hi < 1e12 * scale; i++) {
        lo = hi;
        loV = top.variance - target;
        top = solveAt(hi * 4);
        hi = top.t;
      }
      if (top.variance <= target) return { value: top.bias, w: top.w };
      // Illinois regula falsi on the piecewise-quadratic variance(t).
      let hiV = top.variance - target;
      let best = top;
      let side = 0;
      for (let it = 0; it < 200; it++) {
        const s = solveAt((lo * hiV - hi * loV) / (hiV - loV));
        const t = s.t;
        const v = s.variance - target;
        best = s;
        if (Math.abs(v) <= 1e-13 * target || hi - lo <= 1e-15 * hi) break;
        if (v > 0) {
          hi = t;
          hiV = v;
          if (side === 1) loV /= 2;
          side = 1;
        } else {
          lo = t;
          loV = v;
          if (side === -1) hiV /= 2;
          side = -1;
        }
      }
      return { value: best.bias, w: best.w };
    },
    dispose: () => qp.dispose(),
  };
}

/** HonestDiD's derivative bisection for the h minimising h * q(M * bias(h) / h); NaN when it fails. */
function derivativeBisection(f: (h: number) => number, a0: number, b0: number, numPoints: number): number {
  let a = a0;
  let b = b0;
  const failtol = Math.sqrt(Number.EPSILON);
  const dif = Math.min((b - a) / numPoints, Math.abs(b) * Number.EPSILON ** (1 / 3));
  const fa = f(a);
  const fb = f(b);
  const fpa = (f(a + dif) - fa) / dif;
  const fpb = (f(b - dif) - fb) / -dif;
  let iter = 1;
  const maxiter = 10 * Math.ceil(Math.log(Math.abs(b - a) / dif) / Math.log(2));
  if (fpa > fpb || Number.isNaN(fa) || Number.isNaN(fb)) return Number.NaN;
  if (fpb < 0) return b;
  if (fpa > 0) return a;
  let failed = false;
  while (!failed && Math.abs(b - a) > dif) {
    iter++;
    const x = (a + b) / 2;
    const fpx = (f(x + dif) - f(x - dif)) / (2 * dif);
    failed = fpx > fpb + failtol || fpx + failtol < fpa || iter > maxiter;
    if (fpx > 0) b = x;
    else a = x;
  }
  return failed ? Number.NaN : (a + b) / 2;
}

/** The optimal FLCI for each M (HonestDiD's findOptimalFLCI). */
export async function flciDeltaSD(es: EventStudyEstimates, Mvec: readonly number[], options: FlciOptions = {}): Promise<FlciResult[]> {
  checkEstimates(es);
  if (es.numPrePeriods < 2) throw new Error('sensitivity FLCI: needs numPrePeriods >= 2');
  const l = resolveLVec(es, options.lVec);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`sensitivity: alpha must be in (0, 1), got ${alpha}`);
  const numPoints = options.numPoints ?? 100;
  const method = options.quantile ?? 'r-simulation';
  const seed = options.seed ?? 0;
  const solver = await lpSolver();
  const frontier = buildFrontier(solver, es, l);
  try {
    return Mvec.map((M) => {
      if (!(M >= 0)) throw new Error(`sensitivity: Delta^SD M must be >= 0, got ${M}`);
      const halfLength = (h: number, bias: number) => foldedNormalQuantile(1 - alpha, (M * bias) / h, method, seed) * h;
      const f = (h: number) => halfLength(h, frontier.bias(h).value);
      let hStar = derivativeBisection(f, frontier.hMin, frontier.h0, numPoints);
      let search: FlciResult['search'] = 'bisection';
      if (Number.isNaN(hStar)) {
        search = 'grid';
        let best = Infinity;
        for (let i = 0; i < numPoints; i++) {
          const h = i === numPoints - 1 ? frontier.h0 : frontier.hMin + (i * (frontier.h0 - frontier.hMin)) / (numPoints - 1);
          const v = f(h);
          if (v < best) {
            best = v;
            hStar = h;
          }
        }
      }
      const opt = frontier.bias(hStar);
      const lPre = opt.w.map((v, i) => (i === 0 ? v : v - opt.w[i - 1]!));
      const optimalVec = [...lPre, ...l];
      const half = halfLength(hStar, opt.value);
      if (!Number.isFinite(half)) throw new Error(`sensitivity FLCI: non-finite half-length at M=${M}`);
      const centre = dot(optimalVec, es.betahat);
      return { M, lb: centre - half, ub: centre + half, optimalVec, optimalHalfLength: half, h: hStar, maxBias: M * opt.value, search };
    });
  } finally {
    frontier.dispose();
  }
}

/** FLCI rows in the common sensitivity-table shape. */
export const flciRows = (rows: readonly FlciResult[]): SensitivityCi[] =>
  rows.map((r) => ({ parameter: r.M, lb: r.lb, ub: r.ub, method: 'FLCI', delta: 'DeltaSD', openAtGridEnd: false, lpFailures: 0 }));
