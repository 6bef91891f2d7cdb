import type * as TfCore from '@tensorflow/tfjs-core';
import {
  balancedTwoWay,
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

/** a'b with both sides scaled to unit rms per column in float64 first, then rescaled. */
export async function crossProdTfjs(tf: Tf, inputs: KernelInputs<'CrossProd'>): Promise<Mat> {
  const { a } = inputs;
  const b = inputs.b ?? a;
  const sa = columnScales(a);
  const sb = inputs.b ? columnScales(b) : sa;
  const at = transposedTensor(tf, scaledFloat32(a, sa), a.rows, a.cols);
  const bt = inputs.b ? transposedTensor(tf, scaledFloat32(b, sb), b.rows, b.cols) : at;
  // (a'b) column-major = row-major of b'a = bt . at'
  const c = tf.matMul(bt, at, false, true);
  at.dispose();
  if (bt !== at) bt.dispose();
  return readScaled(c, a.cols, b.cols, (j) => sb[j]!).then((m) => rescaleRows(m, sa));
}

function rescaleRows(m: Mat, s: Float64Array): Mat {
  const d = m.data as Float64Array;
  for (let j = 0; j < m.cols; j++) for (let i = 0; i < m.rows; i++) d[j * m.rows + i]! *= s[i]!;
  return m;
}

export async function segmentSumTfjs(tf: Tf, inputs: KernelInputs<'SegmentSum'>): Promise<Mat> {
  const { x, segments, nSegments } = inputs;
  const scales = columnScales(x);
  const out = tf.tidy(() => {
    const rowsMajor = tf.transpose(transposedTensor(tf, scaledFloat32(x, scales), x.rows, x.cols)); // [rows, cols]
    const sums = segmentSumRows(tf, rowsMajor, segments, nSegments); // [G, cols]
    return tf.transpose(sums); // [cols, G] = column-major G x cols
  });
  return readScaled(out, nSegments, x.cols, (j) => scales[j]!);
}

/** Gathered values held on the device at once by GatherSum (groups are batched to stay under it). */
const GATHER_SUM_BATCH_VALUES = 2 ** 24;

/**
 * Sums of gathered rows per group: x scaled to unit rms per column in float64, uploaded once, then
 * gather + sum over batches of groups (each batch's gathered rows stay on the device).
 */
export async function gatherSumTfjs(tf: Tf, inputs: KernelInputs<'GatherSum'>): Promise<Mat> {
  const { x, index, groupSize } = inputs;
  const groups = index.length / groupSize;
  const scales = columnScales(x);
  const rows = tf.tidy(() => tf.transpose(transposedTensor(tf, scaledFloat32(x, scales), x.rows, x.cols))); // [rows, cols]
  const out = new Float64Array(groups * x.cols);
  const batch = Math.max(1, Math.floor(GATHER_SUM_BATCH_VALUES / (groupSize * x.cols)));
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

export async function gatherTfjs(tf: Tf, inputs: KernelInputs<'Gather'>): Promise<Mat> {
  const { x, index } = inputs;
  const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
  const out = tf.tidy(() => tf.gather(transposedTensor(tf, data, x.rows, x.cols), tf.tensor1d(index, 'int32'), 1));
  return readScaled(out, index.length, x.cols);
}

export async function multiplierBootstrapTfjs(
  tf: Tf,
  inputs: KernelInputs<'MultiplierBootstrap'>,
  attrs: KernelAttrs<'MultiplierBootstrap'>,
): Promise<Mat> {
  const { inf, clusterCodes } = inputs;
  const g = clusterCodes ? (inputs.nClusters ?? levelCount(clusterCodes, 'clusterCodes')) : inf.rows;
  const k = inf.cols;
  const scales = columnScales(inf);
  const s = tf.tidy(() => {
    const rowsMajor = tf.transpose(transposedTensor(tf, scaledFloat32(inf, scales), inf.rows, k)); // [n, k]
    return clusterCodes ? segmentSumRows(tf, rowsMajor, clusterCodes, g) : rowsMajor; // [G, k]
  });
  const out = new Float64Array(attrs.draws * k);
  const inv = 1 / inf.rows;
  try {
    // Weights drawn on the cpu from the seeded streams (same draws on every backend), one chunk on the device at a time.
    await forEachWeightChunk(
      { seed: attrs.seed, draws: attrs.draws, clusters: g, kind: attrs.weights, ...(attrs.chunkSize !== undefined ? { chunkSize: attrs.chunkSize } : {}), ...(attrs.firstDraw !== undefined ? { firstDraw: attrs.firstDraw } : {}) },
      async (v, first) => {
        const m = v.cols;
        const prod = tf.tidy(() => tf.matMul(s, tf.tensor2d(Float32Array.from(v.data), [m, g]), true, true)); // [k, m]
        const values = (await prod.data()) as Float32Array;
        prod.dispose();
        for (let j = 0; j < k; j++) {
          const f = scales[j]! * inv;
          for (let b = 0; b < m; b++) out[j * attrs.draws + first + b] = values[j * m + b]! * f;
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
): Promise<KernelOutput<'Demean'>> {
  const { x, feCodes, weights } = inputs;
  const n = x.rows;
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
  let cur: Tensor2D = tf.tidy(() => tf.transpose(transposedTensor(tf, scaledFloat32(cm, scales), n, x.cols)));
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
        const num = tf.sum(tf.mul(dG, d2), 0);
        const den = tf.sum(tf.mul(d2, d2), 0);
        const coef = tf.where(tf.greater(den, 0), tf.div(num, tf.maximum(den, 1e-30)), tf.zerosLike(den));
        return tf.sub(ggx, tf.mul(coef, dG)) as Tensor2D;
      });
      cur.dispose();
      gx.dispose();
      ggx.dispose();
      cur = next;
    }
    const colMajor = tf.transpose(cur);
    return Object.freeze({
      x: await readScaled(colMajor, n, x.cols, (j) => scales[j]!),
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

/** Registers the tfjs kernels (the backend itself via registerTfjsBackend). */
export function registerTfjsKernels(registry: KernelRegistry): KernelRegistry {
  type Run = { backend: TfjsBackend };
  registry.register({ kernel: 'CrossProd', backend: 'tfjs', run: async ({ inputs, backend }: Run & { inputs: KernelInputs<'CrossProd'> }) => crossProdTfjs(backend.tf, inputs) });
  registry.register({ kernel: 'SegmentSum', backend: 'tfjs', run: async ({ inputs, backend }: Run & { inputs: KernelInputs<'SegmentSum'> }) => segmentSumTfjs(backend.tf, inputs) });
  registry.register({ kernel: 'Gather', backend: 'tfjs', run: async ({ inputs, backend }: Run & { inputs: KernelInputs<'Gather'> }) => gatherTfjs(backend.tf, inputs) });
  registry.register({ kernel: 'GatherSum', backend: 'tfjs', run: async ({ inputs, backend }: Run & { inputs: KernelInputs<'GatherSum'> }) => gatherSumTfjs(backend.tf, inputs) });
  registry.register({
    kernel: 'MultiplierBootstrap',
    backend: 'tfjs',
    run: async ({ inputs, attrs, backend }: Run & { inputs: KernelInputs<'MultiplierBootstrap'>; attrs: KernelAttrs<'MultiplierBootstrap'> }) =>
      multiplierBootstrapTfjs(backend.tf, inputs, attrs),
  });
  registry.register({
    kernel: 'Demean',
    backend: 'tfjs',
    run: async ({ inputs, attrs, backend }: Run & { inputs: KernelInputs<'Demean'>; attrs: KernelAttrs<'Demean'> }) =>
      demeanTfjs(backend.tf, inputs, attrs),
  });
  return registry;
}
