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
import { MULTIPLIER_BOOTSTRAP_WASM_BASE64 } from './multiplier-bootstrap-wasm.js';

/** Cluster sums S (G x k) of the influence functions (rows are their own clusters without codes). */
export function clusterSums(inputs: KernelInputs<'MultiplierBootstrap'>): Mat {
  const { inf, clusterCodes } = inputs;
  if (!clusterCodes) return inf;
  const nSegments = inputs.nClusters ?? levelCount(clusterCodes, 'clusterCodes');
  return segmentSumImpl({ x: inf, segments: clusterCodes, nSegments });
}

/** Which loop runs the MultiplierBootstrap kernel: 'auto' (WebAssembly SIMD for Rademacher weights where available), or one forced. */
export type MultiplierKernelChoice = 'auto' | 'wasm-simd' | 'js';

/**
 * theta* = V'S / n (draws x k). The weights are drawn in the same order as multiplierWeights()
 * (chunk k from stream k, draw after draw, cluster after cluster) but streamed, never stored:
 * memory stays O(G k) whatever the number of draws. Rademacher weights run in WebAssembly SIMD
 * (multiplier-bootstrap.wat: the weights generated there as bits, 32 draws at a time over
 * cache-sized blocks of clusters), with the same draws and the same summation order as the plain
 * loop, so the outputs are bit-identical; other weights, or a runtime without WebAssembly SIMD,
 * take the plain loop.
 */
export function multiplierBootstrapImpl(
  inputs: KernelInputs<'MultiplierBootstrap'>,
  attrs: KernelAttrs<'MultiplierBootstrap'>,
  kernel: MultiplierKernelChoice = 'auto',
): Mat {
  const s = clusterSums(inputs);
  if (kernel !== 'js' && attrs.weights === 'rademacher') {
    const out = rademacherWasm(s, inputs.inf.rows, attrs);
    if (out) return out;
  }
  if (kernel === 'wasm-simd') throw new Error(`kernel 'wasm-simd': needs Rademacher weights, WebAssembly SIMD and a problem that fits a 2 GiB WebAssembly memory`);
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

/** Draws per block: one bit each in a cluster's 32-bit word. */
const BLOCK_DRAWS = 32;
const MAX_WASM_BYTES = 2 ** 31 - 2 ** 16;

/** The WebAssembly SIMD path for Rademacher weights; null where unavailable or too large. */
function rademacherWasm(s: Mat, n: number, attrs: KernelAttrs<'MultiplierBootstrap'>): Mat | null {
  const g = s.rows;
  const k = s.cols;
  const draws = attrs.draws;
  if (g === 0 || k === 0 || draws === 0) return null;
  const module = multiplierModule();
  if (!module) return null;
  const panels = Math.ceil(k / 4);
  // layout: stream state (16 bytes), sign masks (256 clusters x 32 draws), accumulators (panels x 32
  // draws x 4 doubles), weight bits (G words), packed S
  const masksOff = 16;
  const accOff = masksOff + 256 * BLOCK_DRAWS * 8;
  const bitsOff = accOff + panels * BLOCK_DRAWS * 32;
  const sOff = bitsOff + Math.ceil((g * 4) / 16) * 16;
  const total = sOff + g * panels * 32;
  if (total > MAX_WASM_BYTES) return null;
  const instance = new ((globalThis as { WebAssembly?: WasmApi }).WebAssembly!).Instance(module, {});
  const memory = instance.exports['memory'] as WasmMemory;
  const pages = Math.ceil(total / 65536);
  const have = memory.buffer.byteLength / 65536;
  if (pages > have) memory.grow(pages - have);
  const gen = instance.exports['gen'] as (state: number, bits: number, g: number, nb: number) => void;
  const accumulate = instance.exports['accumulate'] as (bits: number, s: number, acc: number, g: number, panels: number, tiles: number, masks: number) => void;
  const buf = memory.buffer;
  const state = new Int32Array(buf, 0, 4);
  const acc = new Float64Array(buf, accOff, panels * BLOCK_DRAWS * 4);
  const bits = new Uint32Array(buf, bitsOff, g);
  // S packed in panels of four columns (zero padding past k): panel p, cluster c at (p G + c) 4
  const packed = new Float64Array(buf, sOff, g * panels * 4);
  for (let j = 0; j < k; j++) {
    const col = s.data.subarray(j * g, (j + 1) * g);
    const base = (j >> 2) * g * 4 + (j & 3);
    for (let c = 0; c < g; c++) packed[base + c * 4] = col[c]!;
  }
  const out = new Float64Array(draws * k);
  const inv = 1 / n;
  const chunkSize = attrs.chunkSize ?? DEFAULT_CHUNK_SIZE;
  for (let start = 0, chunk = (attrs.firstDraw ?? 0) / chunkSize; start < draws; start += chunkSize, chunk++) {
    state.set(weightStreamState(attrs.seed, chunk));
    const inChunk = Math.min(chunkSize, draws - start);
    for (let done = 0; done < inChunk; done += BLOCK_DRAWS) {
      const nb = Math.min(BLOCK_DRAWS, inChunk - done);
      bits.fill(0);
      gen(0, bitsOff, g, nb);
      acc.fill(0);
      accumulate(bitsOff, sOff, accOff, g, panels, Math.ceil(nb / 4), masksOff);
      const b0 = start + done;
      for (let j = 0; j < k; j++) {
        const base = (j >> 2) * BLOCK_DRAWS * 4 + (j & 3);
        const o = j * draws + b0;
        for (let b = 0; b < nb; b++) out[o + b] = acc[base + b * 4]! * inv;
      }
    }
  }
  return mat(draws, k, out);
}
