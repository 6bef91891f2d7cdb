import { createRng, sampleWithoutReplacement } from '@panel-lab/compute';
import { finishResult, type ResultMethods } from './result.js';

export interface SomOptions {
  readonly rows?: number;
  readonly cols?: number;
  /** Passes over the data (online training, one row at a time; default 500 as R kohonen rlen). */
  readonly epochs?: number;
  /** Learning rate, linearly from [0] to [1] over training (default [0.05, 0.01]). */
  readonly learningRate?: readonly [number, number];
  /** Gaussian neighbourhood radius, linearly from [0] to [1]; default from 2/3 of the largest unit distance to 0. */
  readonly radius?: readonly [number, number];
  readonly seed: number;
  /** z-standardise the inputs first with the training rows' mean/sd (default true). */
  readonly standardize?: boolean;
}

export interface SomData {
  readonly kind: 'som';
  readonly gridRows: number;
  readonly gridCols: number;
  readonly p: number;
  /** Unit-major prototypes in the (standardised) input space: units × p. */
  readonly codebook: readonly (readonly number[])[];
  readonly center: readonly number[];
  readonly scale: readonly number[];
  /** Best-matching unit per training row. */
  readonly assignment: readonly number[];
  readonly unitCounts: readonly number[];
  readonly quantizationError: number;
  readonly topographicError: number;
  readonly seed: number;
  readonly epochs: number;
}
export type SomResult = SomData & ResultMethods;

/** Rows as a row-major n×p matrix. */
export interface RowMatrix { readonly x: Float64Array; readonly n: number; readonly p: number }

export function unitPosition(unit: number, gridCols: number): [number, number] {
  return [Math.floor(unit / gridCols), unit % gridCols];
}

export function trainSom(data: RowMatrix, opts: SomOptions): SomResult {
  const rows = opts.rows ?? 2;
  const cols = opts.cols ?? 2;
  const units = rows * cols;
  const { n, p } = data;
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 1 && cols >= 1)) throw new Error(`option rows/cols must be positive integers, got ${rows}x${cols}`);
  if (n < units) throw new Error(`SOM with ${units} units needs at least ${units} rows, got ${n}`);
  const epochs = opts.epochs ?? 500;
  const [a0, a1] = opts.learningRate ?? [0.05, 0.01];
  let maxDist = 0;
  for (let u = 0; u < units; u++) for (let v = 0; v < units; v++) maxDist = Math.max(maxDist, gridDistance(u, v, cols));
  const [r0, r1] = opts.radius ?? [(2 / 3) * maxDist, 0];
  const { center, scale } = opts.standardize === false
    ? { center: new Array<number>(p).fill(0), scale: new Array<number>(p).fill(1) }
    : columnMoments(data);
  const z = applyScale(data, center, scale);
  const rng = createRng(opts.seed);
  // Initialise with distinct random rows (as kohonen).
  const init = sampleWithoutReplacement(rng, n, units);
  const code = new Float64Array(units * p);
  for (let u = 0; u < units; u++) for (let j = 0; j < p; j++) code[u * p + j] = z[init[u]! * p + j]!;
  const total = epochs * n;
  let step = 0;
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < n; s++, step++) {
      const i = rng.int(0, n - 1);
      const frac = step / total;
      const alpha = a0 - (a0 - a1) * frac;
      const radius = r0 - (r0 - r1) * frac;
      const bmu = nearest(code, units, p, z, i * p)[0];
      for (let u = 0; u < units; u++) {
        const d = gridDistance(u, bmu, cols);
        // Gaussian neighbourhood; at radius 0 only the winner moves.
        const h = radius > 1e-12 ? Math.exp(-(d * d) / (2 * radius * radius)) : u === bmu ? 1 : 0;
        if (h < 1e-12) continue;
        for (let j = 0; j < p; j++) code[u * p + j] = code[u * p + j]! + alpha * h * (z[i * p + j]! - code[u * p + j]!);
      }
    }
  }
  const stats = somStatistics(code, units, cols, p, z, n);
  return finishResult<SomData>({
    kind: 'som', gridRows: rows, gridCols: cols, p,
    codebook: Array.from({ length: units }, (_, u) => Array.from(code.subarray(u * p, (u + 1) * p))),
    center, scale, ...stats, seed: opts.seed, epochs,
  }, {
    tidy: (r) => r.codebook.map((proto, u) => {
      const [gr, gc] = unitPosition(u, r.gridCols);
      return { unit: u, grid_row: gr, grid_col: gc, n_rows: r.unitCounts[u]!, ...Object.fromEntries(proto.map((v, j) => [`w${j + 1}`, v])) };
    }),
    plotData: (r) => ({ series: [{ name: 'unit_counts', x: r.unitCounts.map((_, u) => u), estimate: [...r.unitCounts] }] }),
  });
}

/** Best-matching unit of each new row (raw units; standardised with the SOM's training moments). */
export function somAssign(som: SomData, data: RowMatrix): Int32Array {
  if (data.p !== som.p) throw new Error(`SOM was trained on ${som.p} inputs, got rows with ${data.p}`);
  const units = som.codebook.length;
  const code = Float64Array.from(som.codebook.flat());
  const z = applyScale(data, som.center, som.scale);
  const out = new Int32Array(data.n);
  for (let i = 0; i < data.n; i++) out[i] = nearest(code, units, som.p, z, i * som.p)[0];
  return out;
}

/** Quantisation error (mean distance to the BMU) and topographic error (BMU and 2nd BMU not grid neighbours). */
export function somStatistics(code: Float64Array, units: number, cols: number, p: number, z: Float64Array, n: number) {
  let qe = 0;
  let te = 0;
  const assignment: number[] = [];
  const unitCounts = new Array<number>(units).fill(0);
  for (let i = 0; i < n; i++) {
    const [b1, d1, b2] = nearest(code, units, p, z, i * p);
    qe += Math.sqrt(d1);
    if (units > 1 && gridDistance(b1, b2, cols) > 1 + 1e-9) te++;
    assignment.push(b1);
    unitCounts[b1]!++;
  }
  return { assignment, unitCounts, quantizationError: qe / n, topographicError: te / n };
}

function gridDistance(u: number, v: number, cols: number): number {
  const [ur, uc] = unitPosition(u, cols);
  const [vr, vc] = unitPosition(v, cols);
  return Math.hypot(ur - vr, uc - vc);
}

/** [best unit, its squared distance, second-best unit]. Ties go to the lower unit index. */
function nearest(code: Float64Array, units: number, p: number, z: Float64Array, off: number): [number, number, number] {
  let b1 = 0, d1 = Infinity, b2 = 0, d2 = Infinity;
  for (let u = 0; u < units; u++) {
    let d = 0;
    for (let j = 0; j < p; j++) d += (z[off + j]! - code[u * p + j]!) ** 2;
    if (d < d1) { b2 = b1; d2 = d1; b1 = u; d1 = d; } else if (d < d2) { b2 = u; d2 = d; }
  }
  return [b1, d1, b2];
}

function columnMoments(data: RowMatrix): { center: number[]; scale: number[] } {
  const { x, n, p } = data;
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * p + j]!;
    const mu = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i * p + j]! - mu) ** 2;
    const sd = Math.sqrt(ss / Math.max(1, n - 1));
    center.push(mu);
    scale.push(sd > 0 ? sd : 1); // constant input: leave unscaled rather than divide by 0
  }
  return { center, scale };
}

function applyScale(data: RowMatrix, center: readonly number[], scale: readonly number[]): Float64Array {
  const z = new Float64Array(data.x.length);
  for (let i = 0; i < data.n; i++) for (let j = 0; j < data.p; j++) {
    const v = data.x[i * data.p + j]!;
    if (!Number.isFinite(v)) throw new Error(`SOM input row ${i} column ${j} is not finite`);
    z[i * data.p + j] = (v - center[j]!) / scale[j]!;
  }
  return z;
}
