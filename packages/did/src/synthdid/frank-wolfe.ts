/**
 * Batched Frank-Wolfe solver for synthdid's weight problems
 *   min_x  zeta^2 |x|^2 + |A x - b|^2 / rows   over the unit simplex,
 * with exact line search and synthdid's stopping rule (stop once an iteration lowers the
 * objective by no more than minDecrease^2, or after maxIter iterations; at least two iterations).
 *
 * Problems are stored structure-of-arrays (all A's, b's and x's concatenated) and one loop
 * advances every unfinished problem by one step per pass, so many resampling draws are solved
 * together without per-draw allocation. Cost per pass: 2 * rows * cols flops per live problem.
 */

export interface FwProblems {
  readonly count: number;
  /** rows and cols of problem i; A_i is row-major at a[aOffset[i]..], b_i at b[rowOffset[i]..]. */
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly aOffset: Int32Array;
  readonly rowOffset: Int32Array;
  readonly colOffset: Int32Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** Starting points on entry, solutions on return (each x_i in the simplex). */
  readonly x: Float64Array;
  /** zeta^2 per problem; the ridge in the gradient is eta = rows * zeta^2, as in the objective above. */
  readonly zeta2: Float64Array;
}

export interface FwOutcome {
  iterations: Int32Array;
  /** Objective after the last iteration (NaN when maxIter is 0). */
  value: Float64Array;
}

/** Allocates the concatenated buffers for problems of the given shapes. */
export function allocateProblems(shapes: ReadonlyArray<{ rows: number; cols: number }>): FwProblems {
  const count = shapes.length;
  const rows = new Int32Array(count);
  const cols = new Int32Array(count);
  const aOffset = new Int32Array(count);
  const rowOffset = new Int32Array(count);
  const colOffset = new Int32Array(count);
  let aLen = 0;
  let rLen = 0;
  let cLen = 0;
  shapes.forEach((s, i) => {
    rows[i] = s.rows;
    cols[i] = s.cols;
    aOffset[i] = aLen;
    rowOffset[i] = rLen;
    colOffset[i] = cLen;
    aLen += s.rows * s.cols;
    rLen += s.rows;
    cLen += s.cols;
  });
  return {
    count,
    rows,
    cols,
    aOffset,
    rowOffset,
    colOffset,
    a: new Float64Array(aLen),
    b: new Float64Array(rLen),
    x: new Float64Array(cLen),
    zeta2: new Float64Array(count),
  };
}

/** A x for problem i into ax (its rows slice). */
function multiply(p: FwProblems, i: number, ax: Float64Array): void {
  const r = p.rows[i]!;
  const c = p.cols[i]!;
  const a = p.a;
  const x = p.x;
  const a0 = p.aOffset[i]!;
  const x0 = p.colOffset[i]!;
  const r0 = p.rowOffset[i]!;
  for (let k = 0; k < r; k++) {
    let s = 0;
    const row = a0 + k * c;
    for (let j = 0; j < c; j++) s += a[row + j]! * x[x0 + j]!;
    ax[r0 + k] = s;
  }
}

function objective(p: FwProblems, i: number, ax: Float64Array): number {
  const r = p.rows[i]!;
  const c = p.cols[i]!;
  const x0 = p.colOffset[i]!;
  const r0 = p.rowOffset[i]!;
  let xx = 0;
  for (let j = 0; j < c; j++) xx += p.x[x0 + j]! * p.x[x0 + j]!;
  let ee = 0;
  for (let k = 0; k < r; k++) {
    const e = ax[r0 + k]! - p.b[r0 + k]!;
    ee += e * e;
  }
  return p.zeta2[i]! * xx + ee / r;
}

/** One exact-line-search Frank-Wolfe step of problem i (ax holds A x on entry and on return). */
function step(p: FwProblems, i: number, ax: Float64Array, grad: Float64Array): void {
  const r = p.rows[i]!;
  const c = p.cols[i]!;
  const a0 = p.aOffset[i]!;
  const x0 = p.colOffset[i]!;
  const r0 = p.rowOffset[i]!;
  const eta = r * p.zeta2[i]!;
  const a = p.a;
  const b = p.b;
  for (let j = 0; j < c; j++) grad[j] = 0;
  for (let k = 0; k < r; k++) {
    const e = ax[r0 + k]! - b[r0 + k]!;
    const row = a0 + k * c;
    for (let j = 0; j < c; j++) grad[j] = grad[j]! + e * a[row + j]!;
  }
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let j = 0; j < c; j++) {
    const g = grad[j]! + eta * p.x[x0 + j]!;
    grad[j] = g;
    if (g < bestValue) {
      bestValue = g;
      best = j;
    }
  }
  // Direction d = e_best - x; no move when x is already the vertex.
  const xBest = p.x[x0 + best]!;
  let moves = xBest !== 1;
  if (!moves) for (let j = 0; j < c && !moves; j++) if (j !== best && p.x[x0 + j] !== 0) moves = true;
  if (!moves) return;
  let gd = 0;
  let dd = 0;
  for (let j = 0; j < c; j++) {
    const d = j === best ? 1 - p.x[x0 + j]! : -p.x[x0 + j]!;
    gd += grad[j]! * d;
    dd += d * d;
  }
  let ee = 0;
  for (let k = 0; k < r; k++) {
    const e = p.a[a0 + k * c + best]! - ax[r0 + k]!;
    ee += e * e;
  }
  const t = Math.min(1, Math.max(0, -gd / (ee + eta * dd)));
  for (let j = 0; j < c; j++) {
    const d = j === best ? 1 - p.x[x0 + j]! : -p.x[x0 + j]!;
    p.x[x0 + j] = p.x[x0 + j]! + t * d;
  }
  multiply(p, i, ax);
}

/**
 * Runs every problem to synthdid's stopping rule. `active` (optional) selects which problems to
 * run; the others keep their x and report 0 iterations.
 */
export function solveFrankWolfe(p: FwProblems, minDecrease: number, maxIter: number, active?: Uint8Array): FwOutcome {
  const iterations = new Int32Array(p.count);
  const value = new Float64Array(p.count).fill(Number.NaN);
  const previous = new Float64Array(p.count).fill(Number.NaN);
  const ax = new Float64Array(p.b.length);
  let maxCols = 0;
  for (let i = 0; i < p.count; i++) maxCols = Math.max(maxCols, p.cols[i]!);
  const grad = new Float64Array(maxCols);
  const threshold = minDecrease * minDecrease;
  let live: number[] = [];
  for (let i = 0; i < p.count; i++) {
    if (active && !active[i]) continue;
    if (maxIter > 0) {
      live.push(i);
      multiply(p, i, ax);
    }
  }
  let t = 0;
  while (live.length > 0) {
    t++;
    const next: number[] = [];
    for (const i of live) {
      step(p, i, ax, grad);
      previous[i] = value[i]!;
      value[i] = objective(p, i, ax);
      iterations[i] = t;
      // NaN decreases stop the problem, as R's comparison would.
      if (t < maxIter && (t < 2 || previous[i]! - value[i]! > threshold)) next.push(i);
    }
    live = next;
  }
  return { iterations, value };
}
