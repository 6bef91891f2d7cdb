import {
  assertFitsBinding,
  columnScales,
  levelCount,
  mat,
  forEachWeightChunk,
  scaledFloat32,
  type KernelAttrs,
  type KernelInputs,
  type KernelRegistry,
  type Mat,
} from '@panel-lab/compute';
import { assertGpujsIndexable, type GpujsBackend } from './backend.js';
import { demeanGpujs } from './demean.js';

/** Kernel bodies are parsed by gpu.js from their source: plain loops, this.thread, this.constants only. */
interface KernelThis {
  thread: { x: number; y: number };
  constants: { n: number; maxLen: number; block: number; outer: number };
}

/** gpu.js returns a Float32Array for 1-D output and an array of rows for 2-D: flattened row after row. */
function flatten(out: unknown, rows: number, cols: number): Float64Array {
  const data = new Float64Array(rows * cols);
  if (out instanceof Float32Array) data.set(out.subarray(0, rows * cols));
  else (out as Float32Array[]).forEach((row, y) => data.set(row.subarray(0, rows), y * rows));
  return data;
}

/** Column-major Mat as input(): read as m[col][row]. */
function matInput(backend: GpujsBackend, values: Float32Array, rows: number, cols: number): unknown {
  return backend.input(values, [rows, cols]);
}

function rescale(m: Mat, rowScale: (i: number) => number, colScale: (j: number) => number): Mat {
  const d = m.data as Float64Array;
  for (let j = 0; j < m.cols; j++) {
    const cs = colScale(j);
    for (let i = 0; i < m.rows; i++) d[j * m.rows + i]! *= rowScale(i) * cs;
  }
  return m;
}

/**
 * a'b (output[j][i] = sum_r a[i][r] b[j][r]): columns scaled to unit rms in float64 first. Each thread
 * sums its rows in blocks of about sqrt(n) and then adds the block sums: a running f32 sum over n rows
 * would lose up to n * 2^-24 of its value (10^7 rows: 0.6), two levels at most 2 sqrt(n) * 2^-24.
 */
export async function crossProdGpujs(backend: GpujsBackend, inputs: KernelInputs<'CrossProd'>): Promise<Mat> {
  const { a } = inputs;
  const b = inputs.b ?? a;
  assertGpujsIndexable('CrossProd', a.rows);
  assertFitsBinding('gpujs CrossProd', Math.max(a.rows * a.cols, b.rows * b.cols), backend.bindingLimitBytes);
  const sa = columnScales(a);
  const sb = inputs.b ? columnScales(b) : sa;
  const block = Math.max(64, Math.ceil(Math.sqrt(a.rows)));
  const out = await backend.run(
    function (this: KernelThis, x: number[][], y: number[][]) {
      let total = 0;
      for (let hi = 0; hi < this.constants.outer; hi++) {
        let part = 0;
        for (let lo = 0; lo < this.constants.block; lo++) {
          const r = hi * this.constants.block + lo;
          if (r < this.constants.n) {
            part += x[this.thread.x]![r]! * y[this.thread.y]![r]!;
          }
        }
        total += part;
      }
      return total;
    },
    { output: [a.cols, b.cols], constants: { n: a.rows, block, outer: Math.max(1, Math.ceil(a.rows / block)) } },
    [matInput(backend, scaledFloat32(a, sa), a.rows, a.cols), matInput(backend, scaledFloat32(b, sb), b.rows, b.cols)],
  );
  return rescale(mat(a.cols, b.cols, flatten(out, a.cols, b.cols)), (i) => sa[i]!, (j) => sb[j]!);
}

/**
 * Segment sums without scatter (gpu.js has none): rows are ordered by segment on the cpu (CSR), and
 * thread (g, j) sums its own segment's rows of column j.
 */
async function segmentSumScaled(backend: GpujsBackend, x: Mat, segments: Int32Array, nSegments: number): Promise<Mat> {
  assertGpujsIndexable('SegmentSum', x.rows);
  assertFitsBinding('gpujs SegmentSum', x.rows * x.cols, backend.bindingLimitBytes);
  const n = x.rows;
  const start = new Float32Array(nSegments + 1);
  for (let i = 0; i < n; i++) start[segments[i]! + 1]!++;
  let maxLen = 0;
  for (let g = 0; g < nSegments; g++) {
    maxLen = Math.max(maxLen, start[g + 1]!);
    start[g + 1]! += start[g]!;
  }
  const fill = Float32Array.from(start);
  const order = new Float32Array(Math.max(1, n));
  for (let i = 0; i < n; i++) order[fill[segments[i]!]!++] = i;
  const scales = columnScales(x);
  const out = await backend.run(
    function (this: KernelThis, v: number[][], ord: number[], first: number[]) {
      const lo = first[this.thread.x]!;
      const len = first[this.thread.x + 1]! - lo;
      let s = 0;
      for (let p = 0; p < this.constants.maxLen; p++) {
        if (p < len) {
          s += v[this.thread.y]![ord[lo + p]!]!;
        }
      }
      return s;
    },
    { output: [nSegments, x.cols], constants: { maxLen: Math.max(1, maxLen) } },
    [matInput(backend, scaledFloat32(x, scales), n, x.cols), order, start],
  );
  return rescale(mat(nSegments, x.cols, flatten(out, nSegments, x.cols)), () => 1, (j) => scales[j]!);
}

export function segmentSumGpujs(backend: GpujsBackend, inputs: KernelInputs<'SegmentSum'>): Promise<Mat> {
  return segmentSumScaled(backend, inputs.x, inputs.segments, inputs.nSegments);
}

/** Rows of x by index, read with two-dimensional indexing (x[col][row]). */
export async function gatherGpujs(backend: GpujsBackend, inputs: KernelInputs<'Gather'>): Promise<Mat> {
  const { x, index } = inputs;
  assertGpujsIndexable('Gather', Math.max(x.rows, index.length));
  assertFitsBinding('gpujs Gather', Math.max(x.rows, index.length) * x.cols, backend.bindingLimitBytes);
  const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
  const out = await backend.run(
    function (this: KernelThis, v: number[][], idx: number[]) {
      return v[this.thread.y]![idx[this.thread.x]!]!;
    },
    { output: [index.length, x.cols] },
    [matInput(backend, data, x.rows, x.cols), Float32Array.from(index)],
  );
  return mat(index.length, x.cols, flatten(out, index.length, x.cols));
}

/** Sums of gathered rows per group: x[col][row] and idx[group][j] both read with two-dimensional indexing. */
export async function gatherSumGpujs(backend: GpujsBackend, inputs: KernelInputs<'GatherSum'>): Promise<Mat> {
  const { x, index, groupSize } = inputs;
  const groups = index.length / groupSize;
  assertGpujsIndexable('GatherSum', Math.max(x.rows, groupSize, groups));
  assertFitsBinding('gpujs GatherSum', Math.max(x.rows * x.cols, index.length), backend.bindingLimitBytes);
  const scales = columnScales(x);
  const out = await backend.run(
    function (this: KernelThis, v: number[][], idx: number[][]) {
      let s = 0;
      for (let j = 0; j < this.constants.n; j++) {
        s += v[this.thread.y]![idx[this.thread.x]![j]!]!;
      }
      return s;
    },
    { output: [groups, x.cols], constants: { n: groupSize } },
    [matInput(backend, scaledFloat32(x, scales), x.rows, x.cols), backend.input(Float32Array.from(index), [groupSize, groups])],
  );
  return rescale(mat(groups, x.cols, flatten(out, groups, x.cols)), () => 1, (j) => scales[j]!);
}

/** theta* = V'S / n: cluster sums once, then one cross-product kernel per chunk of seeded weights. */
export async function multiplierBootstrapGpujs(
  backend: GpujsBackend,
  inputs: KernelInputs<'MultiplierBootstrap'>,
  attrs: KernelAttrs<'MultiplierBootstrap'>,
): Promise<Mat> {
  const { inf, clusterCodes } = inputs;
  const g = clusterCodes ? (inputs.nClusters ?? levelCount(clusterCodes, 'clusterCodes')) : inf.rows;
  const s = clusterCodes ? await segmentSumScaled(backend, inf, clusterCodes, g) : inf;
  const k = inf.cols;
  const out = new Float64Array(attrs.draws * k);
  const inv = 1 / inf.rows;
  await forEachWeightChunk(
    { seed: attrs.seed, draws: attrs.draws, clusters: g, kind: attrs.weights, ...(attrs.chunkSize !== undefined ? { chunkSize: attrs.chunkSize } : {}), ...(attrs.firstDraw !== undefined ? { firstDraw: attrs.firstDraw } : {}) },
    async (v, first) => {
      const prod = await crossProdGpujs(backend, { a: v, b: s }); // chunk draws x k
      for (let j = 0; j < k; j++) for (let b = 0; b < v.cols; b++) out[j * attrs.draws + first + b] = prod.data[j * v.cols + b]! * inv;
    },
  );
  return mat(attrs.draws, k, out);
}

/** Registers the gpu.js kernels. */
export function registerGpujsKernels(registry: KernelRegistry): KernelRegistry {
  type Run<I> = { backend: GpujsBackend; inputs: I };
  registry.register({
    kernel: 'Demean',
    backend: 'gpujs',
    run: ({ inputs, attrs, backend }: Run<KernelInputs<'Demean'>> & { attrs: KernelAttrs<'Demean'> }) => demeanGpujs(backend, inputs, attrs),
  });
  registry.register({ kernel: 'CrossProd', backend: 'gpujs', run: ({ inputs, backend }: Run<KernelInputs<'CrossProd'>>) => crossProdGpujs(backend, inputs) });
  registry.register({ kernel: 'SegmentSum', backend: 'gpujs', run: ({ inputs, backend }: Run<KernelInputs<'SegmentSum'>>) => segmentSumGpujs(backend, inputs) });
  registry.register({ kernel: 'GatherSum', backend: 'gpujs', run: ({ inputs, backend }: Run<KernelInputs<'GatherSum'>>) => gatherSumGpujs(backend, inputs) });
  registry.register({ kernel: 'Gather', backend: 'gpujs', run: ({ inputs, backend }: Run<KernelInputs<'Gather'>>) => gatherGpujs(backend, inputs) });
  registry.register({
    kernel: 'MultiplierBootstrap',
    backend: 'gpujs',
    run: ({ inputs, attrs, backend }: Run<KernelInputs<'MultiplierBootstrap'>> & { attrs: KernelAttrs<'MultiplierBootstrap'> }) =>
      multiplierBootstrapGpujs(backend, inputs, attrs),
  });
  return registry;
}
