import type * as TfCore from '@tensorflow/tfjs-core';
import {
  F32_SUM_BLOCK,
  assertFitsBinding,
  balancedTwoWay,
  itemsPerBinding,
  columnScales,
  levelCount,
  mat,
  forEachWeightChunk,
  scaledFloat32,
  type KernelAttrs,
  type KernelInputs,
  type KernelOutput,
  type KernelRegistry,
  type Mat,
} from '@panel-lab/compute';
import type { TfjsBackend } from './backend.js';

type Tf = typeof TfCore;
type Tensor2D = TfCore.Tensor2D;

/**
 * Row sums by segment on the device: scatterND accumulates duplicate indices, and unlike
 * unsortedSegmentSum it exists on all three tfjs backends (wasm has no UnsortedSegmentSum).
 */
function segmentSumRows(tf: Tf, x: Tensor2D, segments: Int32Array | Tensor2D, nSegments: number): Tensor2D {
  const idx = segments instanceof Int32Array ? tf.tensor2d(segments, [segments.length, 1], 'int32') : segments;
  const out = tf.scatterND(idx, x, [nSegments, x.shape[1]]) as Tensor2D;
  if (idx !== segments) idx.dispose();
  return out;
}

/** Column-major rows x cols data is row-major [cols, rows]: the transposed matrix, free of copies. */
function transposedTensor(tf: Tf, data: Float32Array, rows: number, cols: number): Tensor2D {
  return tf.tensor2d(data, [cols, rows], 'float32');
}

/**
 * Column-major rows x cols data as a row-major [rows, cols] tensor, transposed on the host: tfjs-webgpu's
 * tiled 2-D transpose dispatches rows/16 workgroups in Y, over the 65,535 limit from about 1M rows.
 */
function rowMajorTensor(tf: Tf, data: Float32Array, rows: number, cols: number, limitBytes: number, what: string): Tensor2D {
  assertFitsBinding(what, rows * cols, limitBytes);
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0, o = j; i < rows; i++, o += cols) out[o] = data[j * rows + i]!;
  return tf.tensor2d(out, [rows, cols], 'float32');
}

/** Row-major [rows, cols] values as a column-major Mat, each column times colScale(j). */
function columnMajor(values: Float32Array, rows: number, cols: number, colScale: (j: number) => number = () => 1): Mat {
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const s = colScale(j);
    for (let i = 0, o = j; i < rows; i++, o += cols) out[j * rows + i] = values[o]! * s;
  }
  return mat(rows, cols, out);
}

/** Column sums of [rows, cols] as a matMul with a row of ones (tf.sum over axis 0 transposes on the device). */
function columnSums(tf: Tf, m: Tensor2D): Tensor2D {
  return tf.matMul(tf.ones([1, m.shape[0]]), m) as Tensor2D;
}

/** Reads a tensor back as float64 (rescaling column j of the column-major result by scale[j]) and frees it. */
async function readScaled(t: TfCore.Tensor, rows: number, cols: number, colScale?: (j: number) => number): Promise<Mat> {
  const values = (await t.data()) as Float32Array;
  t.dispose();
  const out = Float64Array.from(values);
  if (colScale) {
    for (let j = 0; j < cols; j++) {
      const s = colScale(j);
      for (let i = 0; i < rows; i++) out[j * rows + i]! *= s;
    }
  }
  return mat(rows, cols, out);
}

/**
 * a'b with both sides scaled to unit rms per column in float64 first, then rescaled. The rows are cut
 * into blocks (pairwise-sum.ts): one batched matMul gives each block's a'b, and the blocks are added
 * in float64, so the f32 error does not grow with n; row ranges that would exceed the adapter's
 * buffer limit run as separate batches.
 */
export async function crossProdTfjs(tf: Tf, inputs: KernelInputs<'CrossProd'>, limitBytes = Infinity): Promise<Mat> {
  const { a } = inputs;
  const b = inputs.b ?? a;
  const sa = columnScales(a);
  const sb = inputs.b ? columnScales(b) : sa;
  const fa = scaledFloat32(a, sa);
  const fb = inputs.b ? scaledFloat32(b, sb) : fa;
  const n = a.rows;
  const block = Math.max(F32_SUM_BLOCK, Math.ceil(n / 1024));
  const widest = Math.max(a.cols, b.cols);
  const blocksPerBatch = Number.isFinite(limitBytes) ? itemsPerBinding('tfjs CrossProd', block * widest, Math.ceil(n / block), limitBytes) : Math.ceil(n / block);
  const acc = new Float64Array(a.cols * b.cols);
  for (let first = 0; first < n; first += block * blocksPerBatch) {
    const rows = Math.min(n - first, block * blocksPerBatch);
    const nb = Math.ceil(rows / block);
    const at = blockedTensor(tf, fa, n, a.cols, first, rows, block, nb);
    const bt = inputs.b ? blockedTensor(tf, fb, n, b.cols, first, rows, block, nb) : at;
    const c = tf.matMul(bt, at, false, true); // [nb, q, p]: block k's (a'b)' row-major = (a'b) column-major
    at.dispose();
    if (bt !== at) bt.dispose();
    const values = (await c.data()) as Float32Array;
    c.dispose();
    for (let k = 0; k < nb; k++) for (let o = 0; o < acc.length; o++) acc[o]! += values[k * acc.length + o]!;
  }
  return rescaleRows(rescale(mat(a.cols, b.cols, acc), (j) => sb[j]!), sa);
}

/** Rows [first, first + rows) of column-major f32 data as [nb, cols, block] (zero-padded last block). */
function blockedTensor(tf: Tf, data: Float32Array, n: number, cols: number, first: number, rows: number, block: number, nb: number): TfCore.Tensor3D {
  const out = new Float32Array(nb * cols * block);
  for (let k = 0; k < nb; k++) {
    const lo = first + k * block;
    const len = Math.min(block, first + rows - lo);
    for (let j = 0; j < cols; j++) out.set(data.subarray(j * n + lo, j * n + lo + len), (k * cols + j) * block);
  }
  return tf.tensor3d(out, [nb, cols, block], 'float32');
}

function rescale(m: Mat, colScale: (j: number) => number): Mat {
  const d = m.data as Float64Array;
  for (let j = 0; j < m.cols; j++) for (let i = 0; i < m.rows; i++) d[j * m.rows + i]! *= colScale(j);
  return m;
}

function rescaleRows(m: Mat, s: Float64Array): Mat {
  const d = m.data as Float64Array;
  for (let j = 0; j < m.cols; j++) for (let i = 0; i < m.rows; i++) d[j * m.rows + i]! *= s[i]!;
  return m;
}

export async function segmentSumTfjs(tf: Tf, inputs: KernelInputs<'SegmentSum'>, limitBytes = Infinity): Promise<Mat> {
  const { x, segments, nSegments } = inputs;
  const scales = columnScales(x);
  const f = scaledFloat32(x, scales);
  const step = itemsPerBinding('tfjs SegmentSum', x.cols, x.rows, limitBytes);
  const acc = new Float64Array(nSegments * x.cols);
  // Row ranges that fit one buffer; their segment sums are added in float64.
  for (let first = 0; first < x.rows; first += step) {
    const rows = Math.min(step, x.rows - first);
    const part = first === 0 && rows === x.rows ? f : sliceRows(f, x.rows, x.cols, first, rows);
    const rowsMajor = rowMajorTensor(tf, part, rows, x.cols, limitBytes, 'tfjs SegmentSum');
    const sums = segmentSumRows(tf, rowsMajor, segments.subarray(first, first + rows), nSegments); // [G, cols]
    rowsMajor.dispose();
    const values = (await sums.data()) as Float32Array;
    sums.dispose();
    const m = columnMajor(values, nSegments, x.cols, (j) => scales[j]!);
    for (let o = 0; o < acc.length; o++) acc[o]! += m.data[o]!;
  }
  return mat(nSegments, x.cols, acc);
}

/** Rows [first, first + rows) of column-major data. */
function sliceRows(data: Float32Array, n: number, cols: number, first: number, rows: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < cols; j++) out.set(data.subarray(j * n + first, j * n + first + rows), j * rows);
  return out;
}

/** Gathered values held on the device at once by GatherSum (groups are batched to stay under it). */
const GATHER_SUM_BATCH_VALUES = 2 ** 24;

/**
 * Sums of gathered rows per group: x scaled to unit rms per column in float64, uploaded once, then
 * gather + sum over batches of groups (each batch's gathered rows stay on the device).
 */
export async function gatherSumTfjs(tf: Tf, inputs: KernelInputs<'GatherSum'>, limitBytes = Infinity): Promise<Mat> {
  const { x, index, groupSize } = inputs;
  const groups = index.length / groupSize;
  const scales = columnScales(x);
  const rows = rowMajorTensor(tf, scaledFloat32(x, scales), x.rows, x.cols, limitBytes, 'tfjs GatherSum table'); // [rows, cols]
  const out = new Float64Array(groups * x.cols);
  const cap = Math.min(GATHER_SUM_BATCH_VALUES, Number.isFinite(limitBytes) ? Math.floor(limitBytes / 4) : Infinity);
  const batch = Math.max(1, Math.floor(cap / (groupSize * x.cols)));
  try {
    for (let first = 0; first < groups; first += batch) {
      const size = Math.min(batch, groups - first);
      const sums = tf.tidy(() => {
        const idx = tf.tensor1d(index.subarray(first * groupSize, (first + size) * groupSize), 'int32');
        return tf.sum(tf.reshape(tf.gather(rows, idx), [size, groupSize, x.cols]), 1); // [size, cols]
      });
      const values = (await sums.data()) as Float32Array;
      sums.dispose();
      for (let j = 0; j < x.cols; j++) for (let g = 0; g < size; g++) out[j * groups + first + g] = values[g * x.cols + j]! * scales[j]!;
    }
  } finally {
    rows.dispose();
  }
  return mat(groups, x.cols, out);
}

export async function gatherTfjs(tf: Tf, inputs: KernelInputs<'Gather'>, limitBytes = Infinity): Promise<Mat> {
  const { x, index } = inputs;
  assertFitsBinding('tfjs Gather input', x.rows * x.cols, limitBytes);
  assertFitsBinding('tfjs Gather output', index.length * x.cols, limitBytes);
  const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
  const out = tf.tidy(() => tf.gather(transposedTensor(tf, data, x.rows, x.cols), tf.tensor1d(index, 'int32'), 1));
  return readScaled(out, index.length, x.cols);
}

export async function multiplierBootstrapTfjs(
  tf: Tf,
  inputs: KernelInputs<'MultiplierBootstrap'>,
  attrs: KernelAttrs<'MultiplierBootstrap'>,
  limitBytes = Infinity,
): Promise<Mat> {
  const { inf, clusterCodes } = inputs;
  const g = clusterCodes ? (inputs.nClusters ?? levelCount(clusterCodes, 'clusterCodes')) : inf.rows;
  const k = inf.cols;
  const scales = columnScales(inf);
  const s = tf.tidy(() => {
    const rowsMajor = rowMajorTensor(tf, scaledFloat32(inf, scales), inf.rows, k, limitBytes, 'tfjs MultiplierBootstrap influence functions'); // [n, k]
    return clusterCodes ? segmentSumRows(tf, rowsMajor, clusterCodes, g) : rowsMajor; // [G, k]
  });
  const out = new Float64Array(attrs.draws * k);
  const inv = 1 / inf.rows;
  try {
    // Weights drawn on the cpu from the seeded streams (same draws on every backend), one chunk on the device at a time.
    await forEachWeightChunk(
      { seed: attrs.seed, draws: attrs.draws, clusters: g, kind: attrs.weights, ...(attrs.chunkSize !== undefined ? { chunkSize: attrs.chunkSize } : {}), ...(attrs.firstDraw !== undefined ? { firstDraw: attrs.firstDraw } : {}) },
      async (v, first) => {
        // Draws of a chunk in slices whose weight matrix fits one buffer.
        const step = itemsPerBinding('tfjs MultiplierBootstrap weights', g, v.cols, limitBytes);
        for (let lo = 0; lo < v.cols; lo += step) {
          const m = Math.min(step, v.cols - lo);
          const w = Float32Array.from(v.data.subarray(lo * g, (lo + m) * g));
          const prod = tf.tidy(() => tf.matMul(s, tf.tensor2d(w, [m, g]), true, true)); // [k, m]
          const values = (await prod.data()) as Float32Array;
          prod.dispose();
          for (let j = 0; j < k; j++) {
            const f = scales[j]! * inv;
            for (let b = 0; b < m; b++) out[j * attrs.draws + first + lo + b] = values[j * m + b]! * f;
          }
        }
      },
    );
  } finally {
    s.dispose();
  }
  return mat(attrs.draws, k, out);
}

/** Floor on the sweep-change tolerance in float32 (values are scaled to unit rms first). */
export const F32_DEMEAN_TOL_FLOOR = 1e-5;

/**
 * Within transform on tfjs: columns centred and scaled to unit rms in float64, then alternating
 * projections on the device (segment means, gather, subtract) with Irons-Tuck extrapolation unless
 * attrs.accel is 'none'. Balanced two-way: one exact sweep.
 */
export async function demeanTfjs(
  tf: Tf,
  inputs: KernelInputs<'Demean'>,
  attrs: KernelAttrs<'Demean'>,
  limitBytes = Infinity,
): Promise<KernelOutput<'Demean'>> {
  const { x, feCodes, weights } = inputs;
  const n = x.rows;
  // Columns are demeaned independently: groups of columns that fit one buffer run one after another.
  const perGroup = itemsPerBinding('tfjs Demean (one column)', n, x.cols, limitBytes);
  if (perGroup < x.cols) return demeanColumnGroups(tf, inputs, attrs, limitBytes, perGroup);
  // Centring changes nothing in the within transform (constants are absorbed by any FE); it keeps f32 accurate.
  const centred = new Float64Array(x.data);
  for (let j = 0; j < x.cols; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += centred[j * n + i]!;
    m /= Math.max(1, n);
    for (let i = 0; i < n; i++) centred[j * n + i]! -= m;
  }
  const cm = mat(n, x.cols, centred);
  const scales = columnScales(cm);
  const balanced = weights === undefined ? balancedTwoWay(feCodes, n) : undefined;
  const tol = Math.max(attrs.tol, F32_DEMEAN_TOL_FLOOR);
  const fes = feCodes.map((codes, q) => {
    const levels = levelCount(codes, `feCodes[${q}]`);
    const tot = new Float64Array(levels);
    for (let i = 0; i < n; i++) tot[codes[i]!]! += weights ? weights[i]! : 1;
    const inv = Float32Array.from(tot, (t) => (t > 0 ? 1 / t : 0));
    // Codes uploaded once per call: [n] for gather, [n, 1] for scatterND.
    return { levels, codes: tf.tensor1d(codes, 'int32'), scatterIdx: tf.tensor2d(codes, [n, 1], 'int32'), invTotal: tf.tensor2d(inv, [levels, 1]) };
  });
  const w = weights ? tf.tensor2d(Float32Array.from(weights), [n, 1]) : undefined;
  let cur: Tensor2D = rowMajorTensor(tf, scaledFloat32(cm, scales), n, x.cols, limitBytes, 'tfjs Demean');
  let iterations = 0;
  let converged = false;
  const accelerate = !balanced && (attrs.accel ?? 'irons-tuck') === 'irons-tuck';
  /** One sweep (demean by each FE in turn) and the largest mean it removed. */
  const sweep = (y0: Tensor2D): readonly [Tensor2D, TfCore.Scalar] =>
    tf.tidy(() => {
      let y: Tensor2D = y0;
      let worst: TfCore.Scalar = tf.scalar(0);
      for (const fe of fes) {
        const weighted = (w ? tf.mul(y, w) : y) as Tensor2D;
        const means = tf.mul(segmentSumRows(tf, weighted, fe.scatterIdx, fe.levels), fe.invTotal) as Tensor2D;
        worst = tf.maximum(worst, tf.max(tf.abs(means)));
        y = tf.sub(y, tf.gather(means, fe.codes)) as Tensor2D;
      }
      return [y, worst] as const;
    });
  const read = async (t: TfCore.Scalar): Promise<number> => {
    const v = (await t.data())[0]!;
    t.dispose();
    return v;
  };
  try {
    const maxIter = balanced ? 1 : attrs.maxIter;
    while (iterations < maxIter) {
      const [gx, c1] = sweep(cur);
      iterations++;
      const change = await read(c1); // read (and freed) even when balanced: nothing may leak
      if (balanced || change <= tol) {
        cur.dispose();
        cur = gx;
        converged = true;
        break;
      }
      if (!accelerate || iterations >= maxIter) {
        cur.dispose();
        cur = gx;
        continue;
      }
      const [ggx, c2] = sweep(gx);
      iterations++;
      if ((await read(c2)) <= tol) {
        cur.dispose();
        gx.dispose();
        cur = ggx;
        converged = true;
        break;
      }
      // Irons-Tuck extrapolation per column, as on the cpu backend.
      const next = tf.tidy(() => {
        const dG = tf.sub(ggx, gx);
        const d2 = tf.add(tf.sub(dG, gx), cur);
        const num = columnSums(tf, tf.mul(dG, d2) as Tensor2D);
        const den = columnSums(tf, tf.mul(d2, d2) as Tensor2D);
        const coef = tf.where(tf.greater(den, 0), tf.div(num, tf.maximum(den, 1e-30)), tf.zerosLike(den));
        return tf.sub(ggx, tf.mul(coef, dG)) as Tensor2D;
      });
      cur.dispose();
      gx.dispose();
      ggx.dispose();
      cur = next;
    }
    const values = (await cur.data()) as Float32Array;
    return Object.freeze({
      x: columnMajor(values, n, x.cols, (j) => scales[j]!),
      converged,
      iterations,
      method: balanced ? ('balanced-closed-form' as const) : ('alternating-projections' as const),
    });
  } finally {
    cur.dispose();
    w?.dispose();
    for (const fe of fes) {
      fe.codes.dispose();
      fe.scatterIdx.dispose();
      fe.invTotal.dispose();
    }
  }
}

async function demeanColumnGroups(tf: Tf, inputs: KernelInputs<'Demean'>, attrs: KernelAttrs<'Demean'>, limitBytes: number, perGroup: number): Promise<KernelOutput<'Demean'>> {
  const { x } = inputs;
  const out = new Float64Array(x.rows * x.cols);
  let iterations = 0;
  let converged = true;
  let method: KernelOutput<'Demean'>['method'] = 'alternating-projections';
  for (let j = 0; j < x.cols; j += perGroup) {
    const cols = Math.min(perGroup, x.cols - j);
    const part = mat(x.rows, cols, x.data.subarray(j * x.rows, (j + cols) * x.rows) as Float64Array);
    const r = await demeanTfjs(tf, { ...inputs, x: part }, attrs, limitBytes);
    out.set(r.x.data, j * x.rows);
    iterations = Math.max(iterations, r.iterations);
    converged &&= r.converged;
    method = r.method;
  }
  return Object.freeze({ x: mat(x.rows, x.cols, out), converged, iterations, method });
}

/** Registers the tfjs kernels (the backend itself via registerTfjsBackend). */
export function registerTfjsKernels(registry: KernelRegistry): KernelRegistry {
  type Run = { backend: TfjsBackend };
  registry.register({ kernel: 'CrossProd', backend: 'tfjs', run: async ({ inputs, backend }: Run & { inputs: KernelInputs<'CrossProd'> }) => crossProdTfjs(backend.tf, inputs, backend.bindingLimitBytes) });
  registry.register({ kernel: 'SegmentSum', backend: 'tfjs', run: async ({ inputs, backend }: Run & { inputs: KernelInputs<'SegmentSum'> }) => segmentSumTfjs(backend.tf, inputs, backend.bindingLimitBytes) });
  registry.register({ kernel: 'Gather', backend: 'tfjs', run: async ({ inputs, backend }: Run & { inputs: KernelInputs<'Gather'> }) => gatherTfjs(backend.tf, inputs, backend.bindingLimitBytes) });
  registry.register({ kernel: 'GatherSum', backend: 'tfjs', run: async ({ inputs, backend }: Run & { inputs: KernelInputs<'GatherSum'> }) => gatherSumTfjs(backend.tf, inputs, backend.bindingLimitBytes) });
  registry.register({
    kernel: 'MultiplierBootstrap',
    backend: 'tfjs',
    run: async ({ inputs, attrs, backend }: Run & { inputs: KernelInputs<'MultiplierBootstrap'>; attrs: KernelAttrs<'MultiplierBootstrap'> }) =>
      multiplierBootstrapTfjs(backend.tf, inputs, attrs, backend.bindingLimitBytes),
  });
  registry.register({
    kernel: 'Demean',
    backend: 'tfjs',
    run: async ({ inputs, attrs, backend }: Run & { inputs: KernelInputs<'Demean'>; attrs: KernelAttrs<'Demean'> }) =>
      demeanTfjs(backend.tf, inputs, attrs, backend.bindingLimitBytes),
  });
  return registry;
}
