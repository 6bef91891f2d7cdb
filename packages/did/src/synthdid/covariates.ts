/**
 * synthdid with time-varying covariates (R synthdid_estimate(Y, N0, T0, X)): the outcome is adjusted
 * to Y - sum_k beta_k X_k and beta is fitted jointly with the weights. On the collapsed form
 * (controls x pre-periods, plus the treated mean row and the post mean column) every iteration takes
 * one exact-line-search Frank-Wolfe step for lambda, one for omega, then a gradient step of size
 * 1/t for beta on the summed penalised fit of the two weight problems; it stops once the objective
 * changes by no more than minDecrease^2 (at least two iterations) or after maxIter. There is no
 * sparsify round on this path (as in the package).
 *
 * Many setups (the estimate, or every placebo / bootstrap / jackknife draw) advance together, one
 * iteration per pass over the unfinished ones. Cost per iteration: O((K + 2) N0 T0).
 */
import type { OutcomeMatrix, SynthdidTuning } from './types.js';
import { centreColumns, type WeightSetup } from './weights.js';

export interface SolvedCovariateWeights {
  omega: Float64Array;
  lambda: Float64Array;
  beta: Float64Array;
  /** Joint iterations (the same count for omega, lambda and beta). */
  iterations: number;
  /** Final objective; non-finite means the solve broke down. */
  value: number;
}

/** One setup's state: collapsed Y and X, the current weights, beta and the residuals of both fits. */
class JointProblem {
  readonly h: number;
  readonly w: number;
  readonly yc: Float64Array;
  readonly xc: Float64Array[];
  readonly yb: Float64Array;
  readonly xb: Float64Array;
  readonly lam: Float64Array;
  readonly om: Float64Array;
  readonly errLambda: Float64Array;
  readonly errOmega: Float64Array;
  readonly ax: Float64Array;
  readonly grad: Float64Array;
  beta: Float64Array;
  value = Number.NaN;
  previous = Number.NaN;
  iterations = 0;

  constructor(
    readonly n0: number,
    readonly t0: number,
    yc: Float64Array,
    xc: Float64Array[],
    public lambda: Float64Array,
    public omega: Float64Array,
  ) {
    this.h = n0 + 1;
    this.w = t0 + 1;
    this.yc = yc;
    this.xc = xc;
    this.yb = new Float64Array(yc.length);
    this.xb = new Float64Array(yc.length);
    this.lam = new Float64Array(n0 * this.w);
    this.om = new Float64Array(t0 * this.h);
    this.errLambda = new Float64Array(n0);
    this.errOmega = new Float64Array(t0);
    this.ax = new Float64Array(Math.max(n0, t0));
    this.grad = new Float64Array(Math.max(n0, t0));
    this.beta = new Float64Array(xc.length);
  }
}

/** Collapsed form of rows of m: [controls x pre | control post means; treated pre means | treated post mean]. */
function collapse(m: OutcomeMatrix, rows: Int32Array, n0: number, t0: number): Float64Array {
  const nT = m.nPeriods;
  const t1 = nT - t0;
  const n1 = rows.length - n0;
  const w = t0 + 1;
  const out = new Float64Array((n0 + 1) * w);
  const v = m.values;
  for (let k = 0; k < n0; k++) {
    const r = rows[k]! * nT;
    for (let j = 0; j < t0; j++) out[k * w + j] = v[r + j]!;
    let s = 0;
    for (let j = t0; j < nT; j++) s += v[r + j]!;
    out[k * w + t0] = s / t1;
  }
  const last = n0 * w;
  for (let j = 0; j < t0; j++) {
    let s = 0;
    for (let k = n0; k < rows.length; k++) s += v[rows[k]! * nT + j]!;
    out[last + j] = s / n1;
  }
  let s = 0;
  for (let k = n0; k < rows.length; k++) for (let j = t0; j < nT; j++) s += v[rows[k]! * nT + j]!;
  out[last + t0] = s / (n1 * t1);
  return out;
}

/**
 * One exact-line-search Frank-Wolfe step on min eta|x|^2 + |A x - b|^2 over the simplex, where A is
 * the first `cols` columns and b the last column of the row-major rows x (cols + 1) block.
 */
function fwStep(block: Float64Array, rows: number, cols: number, x: Float64Array, eta: number, ax: Float64Array, grad: Float64Array): void {
  const w = cols + 1;
  for (let k = 0; k < rows; k++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += block[k * w + j]! * x[j]!;
    ax[k] = s;
  }
  for (let j = 0; j < cols; j++) grad[j] = 0;
  for (let k = 0; k < rows; k++) {
    const e = ax[k]! - block[k * w + cols]!;
    for (let j = 0; j < cols; j++) grad[j] = grad[j]! + e * block[k * w + j]!;
  }
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let j = 0; j < cols; j++) {
    const g = grad[j]! + eta * x[j]!;
    grad[j] = g;
    if (g < bestValue) {
      bestValue = g;
      best = j;
    }
  }
  let moves = x[best] !== 1;
  if (!moves) for (let j = 0; j < cols && !moves; j++) if (j !== best && x[j] !== 0) moves = true;
  if (!moves) return;
  let gd = 0;
  let dd = 0;
  for (let j = 0; j < cols; j++) {
    const d = j === best ? 1 - x[j]! : -x[j]!;
    gd += grad[j]! * d;
    dd += d * d;
  }
  let ee = 0;
  for (let k = 0; k < rows; k++) {
    const e = block[k * w + best]! - ax[k]!;
    ee += e * e;
  }
  const t = Math.min(1, Math.max(0, -gd / (ee + eta * dd)));
  for (let j = 0; j < cols; j++) x[j] = x[j]! + t * (j === best ? 1 - x[j]! : -x[j]!);
}

/** err = block (x, -1): the residual of the weighted fit. */
function residual(block: Float64Array, rows: number, cols: number, x: Float64Array, err: Float64Array): void {
  const w = cols + 1;
  for (let k = 0; k < rows; k++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += block[k * w + j]! * x[j]!;
    err[k] = s - block[k * w + cols]!;
  }
}

/** Y - X beta on the collapsed form, then one step for each weight vector, residuals and the objective. */
function updateWeights(p: JointProblem, opts: SynthdidTuning): void {
  const { n0, t0, h, w } = p;
  const xb = p.xb.fill(0);
  p.xc.forEach((x, k) => {
    const b = p.beta[k]!;
    for (let i = 0; i < xb.length; i++) xb[i] = xb[i]! + b * x[i]!;
  });
  for (let i = 0; i < xb.length; i++) p.yb[i] = p.yc[i]! - xb[i]!;
  // lambda problem: controls x [pre | post mean]
  p.lam.set(p.yb.subarray(0, n0 * w));
  if (opts.lambdaIntercept) centreColumns(p.lam, n0, w);
  if (opts.updateLambda) fwStep(p.lam, n0, t0, p.lambda, n0 * opts.zetaLambda * opts.zetaLambda, p.ax, p.grad);
  residual(p.lam, n0, t0, p.lambda, p.errLambda);
  // omega problem: pre-periods x [controls | treated mean]
  for (let j = 0; j < t0; j++) for (let i = 0; i < h; i++) p.om[j * h + i] = p.yb[i * w + j]!;
  if (opts.omegaIntercept) centreColumns(p.om, t0, h);
  if (opts.updateOmega) fwStep(p.om, t0, n0, p.omega, t0 * opts.zetaOmega * opts.zetaOmega, p.ax, p.grad);
  residual(p.om, t0, n0, p.omega, p.errOmega);
  let oo = 0;
  for (const v of p.omega) oo += v * v;
  let ll = 0;
  for (const v of p.lambda) ll += v * v;
  let eo = 0;
  for (const v of p.errOmega) eo += v * v;
  let el = 0;
  for (const v of p.errLambda) el += v * v;
  p.previous = p.value;
  p.value = opts.zetaOmega * opts.zetaOmega * oo + opts.zetaLambda * opts.zetaLambda * ll + eo / t0 + el / n0;
}

/** Gradient step of size 1/t on beta (the residuals are Y - X beta fits, so the step adds X's fitted share). */
function betaStep(p: JointProblem, t: number): void {
  const { n0, t0, h, w } = p;
  const next = new Float64Array(p.beta.length);
  p.xc.forEach((x, k) => {
    let sl = 0;
    for (let j = 0; j <= t0; j++) {
      let v = 0;
      for (let i = 0; i < n0; i++) v += p.errLambda[i]! * x[i * w + j]!;
      sl += v * (j < t0 ? p.lambda[j]! : -1);
    }
    let so = 0;
    for (let i = 0; i < h; i++) {
      let u = 0;
      for (let j = 0; j < t0; j++) u += p.errOmega[j]! * x[i * w + j]!;
      so += u * (i < n0 ? p.omega[i]! : -1);
    }
    // The residuals are fit - target, so this is minus the gradient of the objective in beta_k.
    next[k] = p.beta[k]! + (1 / t) * (sl / n0 + so / t0);
  });
  p.beta = next;
}

function uniform(n: number): Float64Array {
  return new Float64Array(n).fill(1 / n);
}

/**
 * Solves omega, lambda and beta for every setup (rows of y and of each covariate matrix, controls
 * first), starting beta at 0 and the weights at the setup's (uniform when null). Which weights move
 * follows opts.updateOmega / updateLambda; beta always moves.
 */
export function solveWeightsCovariates(y: OutcomeMatrix, x: readonly OutcomeMatrix[], t0: number, setups: readonly WeightSetup[], opts: SynthdidTuning): SolvedCovariateWeights[] {
  const problems = setups.map(
    (s) =>
      new JointProblem(
        s.n0,
        t0,
        collapse(y, s.rows, s.n0, t0),
        x.map((m) => collapse(m, s.rows, s.n0, t0)),
        Float64Array.from(s.lambda ?? uniform(t0)),
        Float64Array.from(s.omega ?? uniform(s.n0)),
      ),
  );
  for (const p of problems) updateWeights(p, opts);
  const threshold = opts.minDecrease * opts.minDecrease;
  let live = opts.maxIter > 0 ? problems : [];
  while (live.length > 0) {
    const next: JointProblem[] = [];
    for (const p of live) {
      p.iterations++;
      betaStep(p, p.iterations);
      updateWeights(p, opts);
      const t = p.iterations;
      // A NaN change stops the problem; the caller reports the non-finite objective.
      if (t < opts.maxIter && (t < 2 || Math.abs(p.previous - p.value) > threshold)) next.push(p);
    }
    live = next;
  }
  return problems.map((p) => ({ omega: p.omega, lambda: p.lambda, beta: p.beta, iterations: p.iterations, value: p.value }));
}

/** Y - sum_k beta_k X_k (the outcome the covariate-adjusted estimate and effect curve use). */
export function adjustedMatrix(y: OutcomeMatrix, x: readonly OutcomeMatrix[], beta: Float64Array): OutcomeMatrix {
  const xb = new Float64Array(y.values.length);
  x.forEach((m, k) => {
    const b = beta[k]!;
    for (let i = 0; i < xb.length; i++) xb[i] = xb[i]! + b * m.values[i]!;
  });
  return { values: y.values.map((v, i) => v - xb[i]!), nUnits: y.nUnits, nPeriods: y.nPeriods };
}
