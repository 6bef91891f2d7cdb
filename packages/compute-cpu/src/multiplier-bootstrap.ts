import {
  DEFAULT_CHUNK_SIZE,
  createRng,
  drawWeight,
  levelCount,
  mat,
  type KernelAttrs,
  type KernelInputs,
  type Mat,
  weightStreamState,
} from '@panel-lab/compute';
import { segmentSumImpl } from './linalg.js';
import { workerThreads } from './worker-threads.js';
import { MULTIPLIER_BOOTSTRAP_WASM_BASE64 } from './multiplier-bootstrap-wasm.js';

/** Cluster sums S (G x k) of the influence functions (rows are their own clusters without codes). */
export function clusterSums(inputs: KernelInputs<'MultiplierBootstrap'>): Mat {
  const { inf, clusterCodes } = inputs;
  if (!clusterCodes) return inf;
  const nSegments = inputs.nClusters ?? levelCount(clusterCodes, 'clusterCodes');
  return segmentSumImpl({ x: inf, segments: clusterCodes, nSegments });
}

/**
 * Which loop runs the MultiplierBootstrap kernel: 'auto' (WebAssembly SIMD for Rademacher weights where
 * available: the table kernel for many draws, else the sign-flip kernel), or one forced.
 */
export type MultiplierKernelChoice = 'auto' | 'wasm-table' | 'wasm-simd' | 'js';

/** Draws per chunk from which 'auto' takes the table kernel (its tables cost about 64 draws of additions). */
export const MULTIPLIER_TABLE_MIN_DRAWS = 128;

/**
 * theta* = V'S / n (draws x k). The weights are drawn in the same order as multiplierWeights()
 * (chunk k from stream k, draw after draw, cluster after cluster) but streamed, never stored:
 * memory stays O(G k) whatever the number of draws. Rademacher weights run in WebAssembly SIMD
 * (multiplier-bootstrap.wat: the weights generated there as bits, 32 draws at a time over
 * cache-sized blocks of clusters), with the same draws and the same summation order as the plain
 * loop, so the outputs are bit-identical. With many draws a chunk, Rademacher weights take the table
 * kernel instead (the same weights; each block of eight clusters adds one of its 256 precomputed signed
 * sums per draw: 8 x fewer additions; a few ulps from the plain loop, see the .wat). Other weights, a
 * runtime without WebAssembly SIMD, or non-finite sums (the tables would turn inf - inf into NaN) take
 * the plain loop or the sign-flip kernel.
 */
export function multiplierBootstrapImpl(
  inputs: KernelInputs<'MultiplierBootstrap'>,
  attrs: KernelAttrs<'MultiplierBootstrap'>,
  kernel: MultiplierKernelChoice = 'auto',
): Mat {
  const s = clusterSums(inputs);
  if (kernel !== 'js' && attrs.weights === 'rademacher') {
    const chunkDraws = Math.min(attrs.draws, attrs.chunkSize ?? DEFAULT_CHUNK_SIZE);
    const table = kernel === 'wasm-table' || (kernel === 'auto' && chunkDraws >= MULTIPLIER_TABLE_MIN_DRAWS);
    const out = table ? rademacherTable(s, inputs.inf.rows, attrs) : null;
    if (out) return out;
    if (kernel === 'wasm-table') throw new Error(`kernel 'wasm-table': needs Rademacher weights, WebAssembly SIMD, finite cluster sums and a problem that fits a 2 GiB WebAssembly memory`);
    const sign = rademacherWasm(s, inputs.inf.rows, attrs);
    if (sign) return sign;
  }
  if (kernel === 'wasm-simd' || kernel === 'wasm-table') throw new Error(`kernel 'wasm-simd': needs Rademacher weights, WebAssembly SIMD and a problem that fits a 2 GiB WebAssembly memory`);
  return multiplierBootstrapJs(s, inputs.inf.rows, attrs);
}

/** The plain loop: one weight at a time from drawWeight, accumulated draw after draw (the reference). */
function multiplierBootstrapJs(s: Mat, n: number, attrs: KernelAttrs<'MultiplierBootstrap'>): Mat {
  const g = s.rows;
  const k = s.cols;
  const draws = attrs.draws;
  const chunkSize = attrs.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // Row-major copy of S so each cluster's k sums are contiguous.
  const sr = new Float64Array(g * k);
  for (let j = 0; j < k; j++) for (let c = 0; c < g; c++) sr[c * k + j] = s.data[j * g + c]!;
  const out = new Float64Array(draws * k);
  const acc = new Float64Array(k);
  const inv = 1 / n;
  const root = createRng(attrs.seed);
  for (let start = 0, chunk = (attrs.firstDraw ?? 0) / chunkSize; start < draws; start += chunkSize, chunk++) {
    const rng = root.stream(chunk);
    const end = Math.min(draws, start + chunkSize);
    for (let b = start; b < end; b++) {
      acc.fill(0);
      for (let c = 0; c < g; c++) {
        const w = drawWeight(rng, attrs.weights);
        const off = c * k;
        for (let j = 0; j < k; j++) acc[j]! += w * sr[off + j]!;
      }
      for (let j = 0; j < k; j++) out[j * draws + b] = acc[j]! * inv;
    }
  }
  return mat(draws, k, out);
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: object) => { readonly exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

let wasmModule: unknown | null | undefined;
/** The compiled kernel, or null where the runtime has no WebAssembly SIMD. */
function multiplierModule(): unknown | null {
  if (wasmModule === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = Uint8Array.from(atob(MULTIPLIER_BOOTSTRAP_WASM_BASE64), (ch) => ch.charCodeAt(0));
    wasmModule = api && api.validate(bytes) ? new api.Module(bytes) : null;
  }
  return wasmModule;
}

const MAX_WASM_BYTES = 2 ** 31 - 2 ** 16;

/**
 * Panels (four columns each) of S over every draw in one WebAssembly instance: packed holds the
 * panels (panel p, cluster c at (p G + c) 4), states the stream state of each chunk (4 int32 per
 * chunk); returns the unscaled sums, column q of the panels at [q draws, (q + 1) draws).
 * Self-contained (no outer names), because its source is also the body of the worker threads.
 */
function runPanels(
  api: WasmApi,
  module: unknown,
  packed: Float64Array,
  g: number,
  panels: number,
  draws: number,
  chunkSize: number,
  states: Int32Array,
): Float64Array {
  const blockDraws = 32; // one bit each in a cluster's 32-bit word
  // layout: stream state (16 bytes), sign masks (256 clusters x 32 draws), accumulators (panels x 32
  // draws x 4 doubles), weight bits (G words), packed S
  const masksOff = 16;
  const accOff = masksOff + 256 * blockDraws * 8;
  const bitsOff = accOff + panels * blockDraws * 32;
  const sOff = bitsOff + Math.ceil((g * 4) / 16) * 16;
  const total = sOff + g * panels * 32;
  const instance = new api.Instance(module, {});
  const memory = instance.exports['memory'] as WasmMemory;
  const pages = Math.ceil(total / 65536);
  const have = memory.buffer.byteLength / 65536;
  if (pages > have) memory.grow(pages - have);
  const gen = instance.exports['gen'] as (state: number, bits: number, g: number, nb: number) => void;
  const accumulate = instance.exports['accumulate'] as (bits: number, s: number, acc: number, g: number, panels: number, tiles: number, masks: number) => void;
  const buf = memory.buffer;
  const state = new Int32Array(buf, 0, 4);
  const acc = new Float64Array(buf, accOff, panels * blockDraws * 4);
  const bits = new Uint32Array(buf, bitsOff, g);
  new Float64Array(buf, sOff, g * panels * 4).set(packed);
  const out = new Float64Array(draws * panels * 4);
  for (let start = 0, chunk = 0; start < draws; start += chunkSize, chunk++) {
    state.set(states.subarray(chunk * 4, chunk * 4 + 4));
    const inChunk = Math.min(chunkSize, draws - start);
    for (let done = 0; done < inChunk; done += blockDraws) {
      const nb = Math.min(blockDraws, inChunk - done);
      bits.fill(0);
      gen(0, bitsOff, g, nb);
      acc.fill(0);
      accumulate(bitsOff, sOff, accOff, g, panels, Math.ceil(nb / 4), masksOff);
      const b0 = start + done;
      for (let q = 0; q < panels * 4; q++) {
        const base = (q >> 2) * blockDraws * 4 + (q & 3);
        const o = q * draws + b0;
        for (let b = 0; b < nb; b++) out[o + b] = acc[base + b * 4]!;
      }
    }
  }
  return out;
}

interface RademacherPlan {
  readonly api: WasmApi;
  readonly module: unknown;
  readonly s: Mat;
  readonly panels: number;
  readonly states: Int32Array;
  readonly chunkSize: number;
}

/** What the WebAssembly SIMD path needs; null where unavailable or too large. */
function rademacherPlan(s: Mat, attrs: KernelAttrs<'MultiplierBootstrap'>): RademacherPlan | null {
  const { rows: g, cols: k } = s;
  if (g === 0 || k === 0 || attrs.draws === 0) return null;
  const module = multiplierModule();
  if (!module) return null;
  const panels = Math.ceil(k / 4);
  if (16 + 256 * 32 * 8 + panels * 32 * 32 + g * 4 + 16 + g * panels * 32 > MAX_WASM_BYTES) return null;
  const chunkSize = attrs.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const chunks = Math.ceil(attrs.draws / chunkSize);
  const first = (attrs.firstDraw ?? 0) / chunkSize;
  const states = new Int32Array(chunks * 4);
  for (let c = 0; c < chunks; c++) states.set(weightStreamState(attrs.seed, first + c), c * 4);
  return { api: (globalThis as { WebAssembly?: WasmApi }).WebAssembly!, module, s, panels, states, chunkSize };
}

/** Panels [p0, p1) of S, packed four columns a panel (zero past the last column). */
function packPanels(s: Mat, p0: number, p1: number): Float64Array {
  const g = s.rows;
  const packed = new Float64Array(g * (p1 - p0) * 4);
  for (let j = p0 * 4; j < Math.min(s.cols, p1 * 4); j++) {
    const col = s.data.subarray(j * g, (j + 1) * g);
    const base = ((j >> 2) - p0) * g * 4 + (j & 3);
    for (let c = 0; c < g; c++) packed[base + c * 4] = col[c]!;
  }
  return packed;
}

/** Copies panel sums [p0, ...) into theta* (draws x k), scaled by 1/n as the plain loop does. */
function scatterPanels(out: Float64Array, sums: Float64Array, p0: number, k: number, draws: number, inv: number): void {
  const q1 = Math.min(k - p0 * 4, sums.length / draws);
  for (let q = 0; q < q1; q++) {
    const o = (p0 * 4 + q) * draws;
    for (let b = 0; b < draws; b++) out[o + b] = sums[q * draws + b]! * inv;
  }
}

/** The WebAssembly SIMD path for Rademacher weights, on this thread; null where unavailable or too large. */
function rademacherWasm(s: Mat, n: number, attrs: KernelAttrs<'MultiplierBootstrap'>): Mat | null {
  const plan = rademacherPlan(s, attrs);
  if (!plan) return null;
  const sums = runPanels(plan.api, plan.module, packPanels(s, 0, plan.panels), s.rows, plan.panels, attrs.draws, plan.chunkSize, plan.states);
  const out = new Float64Array(attrs.draws * s.cols);
  scatterPanels(out, sums, 0, s.cols, attrs.draws, 1 / n);
  return mat(attrs.draws, s.cols, out);
}

/**
 * The table kernel (see the .wat): per chunk of draws, the weight bytes draw-major, then per group of
 * 64 eight-cluster blocks their bytes block-major and, per panel of eight columns, each block's table
 * added to every draw's accumulator. Memory: S packed (G x 8 doubles a panel), the bytes (G / 8 a
 * draw) and the accumulators (64 bytes a draw and panel); null where that passes 2 GiB.
 */
function rademacherTable(s: Mat, n: number, attrs: KernelAttrs<'MultiplierBootstrap'>): Mat | null {
  const { rows: g, cols: k } = s;
  const draws = attrs.draws;
  if (g === 0 || k === 0 || draws === 0) return null;
  const module = multiplierModule();
  if (!module) return null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly!;
  const chunkSize = attrs.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const blocks = Math.ceil(g / 8);
  const stride = blocks;
  const panels = Math.ceil(k / 8);
  const GROUP = 64;
  // draws a pass: the chunk, or fewer when the weight bytes would pass 256 MiB (huge G)
  const nbMax = Math.max(1, Math.min(chunkSize, draws, Math.floor(2 ** 28 / stride)));
  const tableOff = 64;
  const tbufOff = tableOff + 2 * 256 * 64; // two tables: the kernel takes blocks in pairs
  const idxOff = tbufOff + Math.ceil((GROUP * nbMax) / 64) * 64;
  const accOff = idxOff + Math.ceil((nbMax * stride) / 64) * 64;
  const sOff = accOff + panels * nbMax * 64;
  const total = sOff + panels * blocks * 512;
  if (total > MAX_WASM_BYTES) return null;
  const instance = new api.Instance(module, {});
  const memory = instance.exports['memory'] as WasmMemory;
  const pages = Math.ceil(total / 65536);
  const have = memory.buffer.byteLength / 65536;
  if (pages > have) memory.grow(pages - have);
  const genBytes = instance.exports['genBytes'] as (state: number, out: number, g: number, nb: number, stride: number) => void;
  const transposeBytes = instance.exports['transposeBytes'] as (idx: number, stride: number, nb: number, j0: number, nj: number, tbuf: number) => void;
  const accumulateTable = instance.exports['accumulateTable'] as (tbuf: number, nb: number, j0: number, nj: number, s: number, acc: number, table: number) => void;
  const buf = memory.buffer;
  const state = new Int32Array(buf, 0, 4);
  // S packed by panels of eight columns, cluster c's eight values contiguous, zero past G and k
  const packed = new Float64Array(buf, sOff, panels * blocks * 64);
  // (a non-finite sum: null, the sign-flip kernel keeps inf and NaN where the plain loop has them)
  let finite = true;
  for (let j = 0; j < k && finite; j++) {
    const base = (j >> 3) * blocks * 64 + (j & 7);
    for (let c = 0; c < g; c++) {
      const v = s.data[j * g + c]!;
      finite &&= Number.isFinite(v);
      packed[base + c * 8] = v;
    }
  }
  if (!finite) return null;
  const acc = new Float64Array(buf, accOff, panels * nbMax * 8);
  const out = new Float64Array(draws * k);
  const inv = 1 / n;
  const first = (attrs.firstDraw ?? 0) / chunkSize;
  for (let start = 0, chunk = 0; start < draws; start += chunkSize, chunk++) {
    state.set(weightStreamState(attrs.seed, first + chunk));
    const inChunk = Math.min(chunkSize, draws - start);
    for (let done = 0; done < inChunk; done += nbMax) {
      const nb = Math.min(nbMax, inChunk - done);
      // in slices of 16 draws: V8 moves a WebAssembly function to optimized code only between calls
      for (let d = 0; d < nb; d += 16) genBytes(0, idxOff + d * stride, g, Math.min(16, nb - d), stride);
      acc.fill(0, 0, panels * nb * 8);
      for (let j0 = 0; j0 < blocks; j0 += GROUP) {
        const nj = Math.min(GROUP, blocks - j0);
        transposeBytes(idxOff, stride, nb, j0, nj, tbufOff);
        for (let p = 0; p < panels; p++) accumulateTable(tbufOff, nb, j0, nj, sOff + p * blocks * 512, accOff + p * nb * 64, tableOff);
      }
      const b0 = start + done;
      for (let j = 0; j < k; j++) {
        const a = (j >> 3) * nb * 8 + (j & 7);
        const o = j * draws + b0;
        for (let d = 0; d < nb; d++) out[o + d] = acc[a + d * 8]! * inv;
      }
    }
  }
  return mat(draws, k, out);
}

/** Work (clusters x panels x draws) below which threads are not worth starting. */
export const MULTIPLIER_THREAD_MIN_WORK = 2 ** 27;

/**
 * The MultiplierBootstrap kernel over worker threads: with Rademacher weights and WebAssembly SIMD,
 * the panels of four columns are split between this thread and threads - 1 workers (each generates
 * the same weights itself), so the draws are bit-identical to the sign-flip kernel's ('wasm-simd')
 * whatever the number of threads (not to the table kernel that 'auto' takes for many draws, which is
 * faster on one thread than this was on two). Small problems, other weights, or a runtime without worker threads run
 * multiplierBootstrapImpl here; in Node.js a failed import of node:worker_threads rejects (worker-threads.ts). threads defaults to the machine's available parallelism.
 * Not the cpu backend's kernel yet: on the shared 2-core machine, under another job's load, it
 * measured slower than one thread (100k x 20, 999 draws: 0.55 s against 0.38 s); time it on an
 * idle machine (and mind callers that already run in a worker pool) before wiring it in.
 */
export async function multiplierBootstrapThreaded(
  inputs: KernelInputs<'MultiplierBootstrap'>,
  attrs: KernelAttrs<'MultiplierBootstrap'>,
  options: { threads?: number; minWork?: number } = {},
): Promise<Mat> {
  if (attrs.weights !== 'rademacher') return multiplierBootstrapImpl(inputs, attrs);
  const s = clusterSums(inputs);
  const plan = rademacherPlan(s, attrs);
  if (!plan) return multiplierBootstrapImpl(inputs, attrs);
  const wt = await workerThreads();
  const threads = Math.min(plan.panels, Math.max(1, Math.floor(options.threads ?? wt?.parallelism ?? 1)));
  if (!wt || threads < 2 || s.rows * plan.panels * attrs.draws < (options.minWork ?? MULTIPLIER_THREAD_MIN_WORK)) {
    return multiplierBootstrapImpl(inputs, attrs);
  }
  const { rows: g, cols: k } = s;
  const draws = attrs.draws;
  const inv = 1 / inputs.inf.rows;
  const out = new Float64Array(draws * k);
  const cut = (t: number) => Math.round((t * plan.panels) / threads);
  const jobs: Promise<void>[] = [];
  for (let t = 1; t < threads; t++) {
    const p0 = cut(t);
    const p1 = cut(t + 1);
    const packed = packPanels(s, p0, p1);
    const worker = new wt.Worker(WORKER_SOURCE, { eval: true });
    jobs.push(
      new Promise<void>((resolve, reject) => {
        worker.once('message', (sums: Float64Array) => {
          scatterPanels(out, sums, p0, k, draws, inv);
          resolve();
        });
        worker.once('error', reject);
        worker.postMessage({ module: plan.module, packed, g, panels: p1 - p0, draws, chunkSize: plan.chunkSize, states: plan.states }, [packed.buffer as ArrayBuffer]);
      }).finally(() => void worker.terminate()),
    );
  }
  const mine = runPanels(plan.api, plan.module, packPanels(s, 0, cut(1)), g, cut(1), draws, plan.chunkSize, plan.states);
  scatterPanels(out, mine, 0, k, draws, inv);
  await Promise.all(jobs);
  return mat(draws, k, out);
}

const WORKER_SOURCE = `const { parentPort } = require('node:worker_threads');
const runPanels = ${runPanels.toString()};
parentPort.once('message', (m) => {
  const sums = runPanels(WebAssembly, m.module, m.packed, m.g, m.panels, m.draws, m.chunkSize, m.states);
  parentPort.postMessage(sums, [sums.buffer]);
});`;
