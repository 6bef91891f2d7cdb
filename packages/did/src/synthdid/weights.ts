/**
 * Unit (omega) and time (lambda) weights of synthdid for many setups at once: each setup is a
 * choice of rows of the outcome matrix (controls first) — the original panel, or a placebo /
 * bootstrap draw — and all their weight problems go through one batched Frank-Wolfe run.
 */
import { allocateProblems, solveFrankWolfe, type FwProblems } from './frank-wolfe.js';
import type { OutcomeMatrix, SynthdidTuning } from './types.js';

export interface WeightSetup {
  /** Rows of the outcome matrix in order, the first n0 are controls. */
  readonly rows: Int32Array;
  readonly n0: number;
  /** Starting (or, without updating, fixed) weights; null means uniform. */
  readonly omega: Float64Array | null;
  readonly lambda: Float64Array | null;
}

export interface SolvedWeights {
  omega: Float64Array;
  lambda: Float64Array;
  /** Frank-Wolfe iterations (first round + after sparsifying); 0 when the weights were fixed. */
  iterationsOmega: number;
  iterationsLambda: number;
}

/** synthdid's default sparsifier: zero weights at or below a quarter of the largest, renormalise. */
export function sparsifyWeights(v: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const w of v) if (w > max) max = w;
  let sum = 0;
  for (let j = 0; j < v.length; j++) {
    if (v[j]! <= max / 4) v[j] = 0;
    sum += v[j]!;
  }
  for (let j = 0; j < v.length; j++) v[j] = v[j]! / sum;
}

function uniform(n: number): Float64Array {
  return new Float64Array(n).fill(1 / n);
}

/** Centres each column of a row-major rows x (cols + 1) block [A | b] in place. */
export function centreColumns(block: Float64Array, rows: number, width: number): void {
  for (let j = 0; j < width; j++) {
    let s = 0;
    for (let k = 0; k < rows; k++) s += block[k * width + j]!;
    const m = s / rows;
    for (let k = 0; k < rows; k++) block[k * width + j] = block[k * width + j]! - m;
  }
}

/**
 * Solves the weights of every setup. Problem 2s is the lambda problem of setup s (rows: its
 * controls, columns: pre-periods, target: the control's post-period mean), 2s+1 the omega problem
 * (rows: pre-periods, columns: controls, target: the treated units' mean).
 */
export function solveWeights(y: OutcomeMatrix, t0: number, setups: readonly WeightSetup[], opts: SynthdidTuning): SolvedWeights[] {
  const nT = y.nPeriods;
  const t1 = nT - t0;
  const shapes: { rows: number; cols: number }[] = [];
  for (const s of setups) {
    shapes.push({ rows: s.n0, cols: t0 }, { rows: t0, cols: s.n0 });
  }
  const p = allocateProblems(shapes);
  const active = new Uint8Array(p.count);
  setups.forEach((s, si) => {
    const n0 = s.n0;
    const n1 = s.rows.length - n0;
    const Y = y.values;
    // lambda problem: [Y_co,pre | rowMeans(Y_co,post)]
    const lw = t0 + 1;
    const lam = new Float64Array(n0 * lw);
    for (let k = 0; k < n0; k++) {
      const r = s.rows[k]! * nT;
      for (let j = 0; j < t0; j++) lam[k * lw + j] = Y[r + j]!;
      let post = 0;
      for (let j = t0; j < nT; j++) post += Y[r + j]!;
      lam[k * lw + t0] = post / t1;
    }
    if (opts.lambdaIntercept) centreColumns(lam, n0, lw);
    copyProblem(p, 2 * si, lam, n0, t0);
    p.zeta2[2 * si] = opts.zetaLambda * opts.zetaLambda;
    p.x.set(s.lambda ?? uniform(t0), p.colOffset[2 * si]!);
    active[2 * si] = opts.updateLambda ? 1 : 0;
    // omega problem: [t(Y_co,pre) | colMeans(Y_tr,pre)]
    const ow = n0 + 1;
    const om = new Float64Array(t0 * ow);
    for (let j = 0; j < t0; j++) {
      for (let k = 0; k < n0; k++) om[j * ow + k] = Y[s.rows[k]! * nT + j]!;
      let tr = 0;
      for (let k = n0; k < n0 + n1; k++) tr += Y[s.rows[k]! * nT + j]!;
      om[j * ow + n0] = tr / n1;
    }
    if (opts.omegaIntercept) centreColumns(om, t0, ow);
    copyProblem(p, 2 * si + 1, om, t0, n0);
    p.zeta2[2 * si + 1] = opts.zetaOmega * opts.zetaOmega;
    p.x.set(s.omega ?? uniform(n0), p.colOffset[2 * si + 1]!);
    active[2 * si + 1] = opts.updateOmega ? 1 : 0;
  });
  const first = solveFrankWolfe(p, opts.minDecrease, opts.sparsify ? opts.maxIterPreSparsify : opts.maxIter, active);
  let second: Int32Array | null = null;
  if (opts.sparsify) {
    for (let i = 0; i < p.count; i++) {
      if (active[i]) sparsifyWeights(p.x.subarray(p.colOffset[i]!, p.colOffset[i]! + p.cols[i]!));
    }
    second = solveFrankWolfe(p, opts.minDecrease, opts.maxIter, active).iterations;
  }
  return setups.map((s, si) => {
    const li = 2 * si;
    const oi = 2 * si + 1;
    return {
      lambda: p.x.slice(p.colOffset[li]!, p.colOffset[li]! + t0),
      omega: p.x.slice(p.colOffset[oi]!, p.colOffset[oi]! + s.n0),
      iterationsLambda: first.iterations[li]! + (second ? second[li]! : 0),
      iterationsOmega: first.iterations[oi]! + (second ? second[oi]! : 0),
    };
  });
}

/** Splits a row-major rows x (cols + 1) block into problem i's A and b. */
function copyProblem(p: FwProblems, i: number, block: Float64Array, rows: number, cols: number): void {
  const a0 = p.aOffset[i]!;
  const r0 = p.rowOffset[i]!;
  const w = cols + 1;
  for (let k = 0; k < rows; k++) {
    for (let j = 0; j < cols; j++) p.a[a0 + k * cols + j] = block[k * w + j]!;
    p.b[r0 + k] = block[k * w + cols]!;
  }
}

/** tau = (-omega, 1/N1)' Y[rows] (-lambda, 1/T1): the weighted double difference. */
export function weightedDid(y: OutcomeMatrix, t0: number, rows: Int32Array, n0: number, omega: Float64Array, lambda: Float64Array): number {
  const nT = y.nPeriods;
  const n1 = rows.length - n0;
  const t1 = nT - t0;
  let tau = 0;
  for (let k = 0; k < rows.length; k++) {
    const wu = k < n0 ? -omega[k]! : 1 / n1;
    if (wu === 0) continue;
    const r = rows[k]! * nT;
    let s = 0;
    for (let j = 0; j < t0; j++) s -= lambda[j]! * y.values[r + j]!;
    for (let j = t0; j < nT; j++) s += y.values[r + j]! / t1;
    tau += wu * s;
  }
  return tau;
}
