/**
 * The restriction sets of Rambachan & Roth (2023) as polyhedra A delta <= d on the vector of
 * pre- and post-period trend differences delta (reference period dropped), in the row order
 * HonestDiD 0.2.6 uses (row order matters for which moments the conditional test keeps).
 */
import { range, zeros, type Mat } from './matrix.js';

export interface Polyhedron {
  readonly A: Mat;
  readonly d: number[];
}

/** Rows of a (T+1)-column matrix with the reference column (index numPre) removed. */
const dropReference = (a: Mat, numPre: number): Mat => a.map((row) => row.filter((_, j) => j !== numPre));

/** (T-1) x (T+1): row r takes the second difference delta_r - 2 delta_{r+1} + delta_{r+2}. */
function secondDifferences(T: number): Mat {
  const tilde = zeros(T - 1, T + 1);
  for (let r = 0; r < T - 1; r++) {
    tilde[r]![r] = 1;
    tilde[r]![r + 1] = -2;
    tilde[r]![r + 2] = 1;
  }
  return tilde;
}

/** |tilde delta| <= ub delta row by row, as the rows of A delta <= 0: [tilde - ub; -tilde - ub], all-zero rows dropped. */
function withinBound(tilde: Mat, ub: Mat): Mat {
  return [
    ...tilde.map((row, r) => row.map((x, j) => x - ub[r]![j]!)),
    ...tilde.map((row, r) => row.map((x, j) => -x - ub[r]![j]!)),
  ].filter((row) => row.reduce((t, x) => t + x * x, 0) > 1e-10);
}

/** Delta^SD(M): |second differences of delta (with delta_0 = 0)| <= M. */
export function deltaSD(numPre: number, numPost: number, M: number): Polyhedron {
  const T = numPre + numPost;
  const tilde = secondDifferences(T);
  const a = dropReference(tilde, numPre);
  const A = [...a, ...a.map((row) => row.map((v) => -v))];
  return { A, d: new Array<number>(A.length).fill(M) };
}

/**
 * Delta^RM(Mbar) for one choice of the pre-period first difference s (s = -(numPre-1)..0) that
 * bounds every difference, and its sign: |delta_{t+1} - delta_t| <= Mbar * (+/-)(delta_{s} - delta_{s-1})
 * for post periods, and <= that difference itself for pre periods.
 */
export function deltaRMFixedS(numPre: number, numPost: number, Mbar: number, s: number, maxPositive: boolean): Polyhedron {
  const T = numPre + numPost;
  const tilde = zeros(T, T + 1);
  for (let r = 0; r < T; r++) {
    tilde[r]![r] = -1;
    tilde[r]![r + 1] = 1;
  }
  const v = new Array<number>(T + 1).fill(0);
  v[numPre + s - 1] = maxPositive ? -1 : 1;
  v[numPre + s] = maxPositive ? 1 : -1;
  const ub = range(0, T).map((r) => v.map((x) => (r < numPre ? x : Mbar * x)));
  const A = dropReference(withinBound(tilde, ub), numPre);
  return { A, d: new Array<number>(A.length).fill(0) };
}

/** Rows that involve some post-period coefficient (HonestDiD's postPeriodMomentsOnly). */
export function postPeriodRows(A: Mat, numPre: number): number[] {
  return range(0, A.length).filter((i) => A[i]!.some((v, j) => j >= numPre && v !== 0));
}

/**
 * Invertible Gamma whose first row is l: l followed by the unit vectors the reduced row-echelon
 * form of [l, I] picks (all but the last index where l is non-zero).
 */
export function gammaFor(l: readonly number[]): Mat {
  const T = l.length;
  let last = -1;
  l.forEach((v, i) => {
    if (v !== 0) last = i;
  });
  if (last < 0) throw new Error('sensitivity: l_vec must have a non-zero entry');
  const rows: Mat = [[...l]];
  for (let j = 0; j < T; j++) if (j !== last) rows.push(range(0, T).map((i) => (i === j ? 1 : 0)));
  return rows;
}

/**
 * Delta^SDRM(Mbar) for one s (s = -(numPre-2)..0) and sign: every second difference (pre and post)
 * bounded by (+/-) the pre-period second difference ending at s, times Mbar for post periods
 * (HonestDiD's 'deviation from linear trend' bound).
 */
export function deltaSDRMFixedS(numPre: number, numPost: number, Mbar: number, s: number, maxPositive: boolean): Polyhedron {
  const T = numPre + numPost;
  const tilde = secondDifferences(T);
  const sign = maxPositive ? 1 : -1;
  const v = new Array<number>(T + 1).fill(0);
  v[numPre + s - 2] = sign;
  v[numPre + s - 1] = -2 * sign;
  v[numPre + s] = sign;
  const ub = range(0, T - 1).map((r) => v.map((x) => (r < numPre - 1 ? x : Mbar * x)));
  const A = dropReference(withinBound(tilde, ub), numPre);
  return { A, d: new Array<number>(A.length).fill(0) };
}

/** Extra shape restrictions intersected with a Delta: a sign of the post-period bias, or monotone delta. */
export interface ShapeRestriction {
  readonly biasDirection?: 'positive' | 'negative';
  readonly monotonicityDirection?: 'increasing' | 'decreasing';
}

/** Rows (A delta <= 0) of the sign restriction on delta_post or of monotonicity through delta_ref = 0. */
export function shapeRows(numPre: number, numPost: number, shape: ShapeRestriction): Mat {
  const T = numPre + numPost;
  if (shape.biasDirection && shape.monotonicityDirection) throw new Error('sensitivity: give biasDirection or monotonicityDirection, not both');
  if (shape.biasDirection) {
    if (shape.biasDirection !== 'positive' && shape.biasDirection !== 'negative') throw new Error(`sensitivity: biasDirection must be 'positive' or 'negative', got '${String(shape.biasDirection)}'`);
    const sign = shape.biasDirection === 'positive' ? -1 : 1;
    return range(numPre, T).map((j) => range(0, T).map((c) => (c === j ? sign : 0)));
  }
  if (shape.monotonicityDirection) {
    if (shape.monotonicityDirection !== 'increasing' && shape.monotonicityDirection !== 'decreasing') throw new Error(`sensitivity: monotonicityDirection must be 'increasing' or 'decreasing', got '${String(shape.monotonicityDirection)}'`);
    const rows = zeros(T, T);
    for (let r = 0; r < numPre - 1; r++) {
      rows[r]![r] = 1;
      rows[r]![r + 1] = -1;
    }
    rows[numPre - 1]![numPre - 1] = 1;
    if (numPost > 0) rows[numPre]![numPre] = -1;
    for (let r = numPre + 1; r < T; r++) {
      rows[r]![r - 1] = 1;
      rows[r]![r] = -1;
    }
    return shape.monotonicityDirection === 'increasing' ? rows : rows.map((row) => row.map((v) => -v));
  }
  return [];
}

export function withShape(poly: Polyhedron, numPre: number, numPost: number, shape: ShapeRestriction): Polyhedron {
  const extra = shapeRows(numPre, numPost, shape);
  if (extra.length === 0) return poly;
  return { A: [...poly.A, ...extra], d: [...poly.d, ...extra.map(() => 0)] };
}
