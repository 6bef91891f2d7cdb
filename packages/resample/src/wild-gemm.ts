import { WILD_GEMM_WASM_BASE64 } from './wild-gemm-wasm.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';

/**
 * The WCR bootstrap's per-draw products, a block of draws at a time: with V the block's vectors
 * (m x inner, row-major) and K a fixed matrix (outputs x inner, given as row-major parts stacked),
 * Y = V K' gives row j = K v_j. E.g. K = [Ky; Kx]: row j = [Ky v_j, Kx v_j]. One matrix-matrix
 * product per block instead of matrix-vector products per draw: each panel of K is loaded once
 * per block, not once per draw. Every output is summed over the inner index in order with
 * separate multiply and add, so it is bit-identical to the plain per-draw loop.
 */
export interface WildBlockProduct {
  readonly kernel: 'wasm-simd' | 'js';
  /** Most rows of V per multiply() call. */
  readonly blockDraws: number;
  /** Row stride of Y (outputs rounded up to 4). */
  readonly cols: number;
  /** Y for the first m rows of v (m <= blockDraws); a view valid until the next call. */
  multiply(v: Float64Array | Float32Array, m: number): Float64Array;
}

export type WildKernelChoice = 'auto' | 'wasm-simd' | 'js';

/** Draws per block: V and Y of a block stay in L2 (64 x 1,000 x 8 B = 512 KB) while a K panel sits in L1. */
export const WILD_BLOCK_DRAWS = 64;

/** K stacked from row-major parts, each with `inner` columns. */
export interface StackedRows {
  readonly parts: readonly Float64Array[];
  readonly inner: number;
}

const outputsOf = (k: StackedRows) => k.parts.reduce((s, p) => s + p.length / k.inner, 0);

/** K' in panels of four output columns (zero-padded): panel p holds K[4p + l, d] at (p inner + d) 4 + l. */
function packPanels(k: StackedRows, out: Float64Array): void {
  const G = k.inner;
  let o = 0;
  for (const part of k.parts) {
    for (let row = 0; row < part.length; row += G, o++) {
      const base = (o >> 2) * G * 4 + (o & 3);
      for (let d = 0; d < G; d++) out[base + d * 4] = part[row + d]!;
    }
  }
}

const roundUp4 = (m: number) => (m + 3) & ~3;

/** The JS kernel: same panels and 4 draws x 4 columns micro-kernel as the WebAssembly one. */
class JsBlockProduct implements WildBlockProduct {
  readonly kernel = 'js';
  readonly blockDraws: number;
  readonly cols: number;
  readonly #G: number;
  readonly #panels: Float64Array;
  readonly #v: Float64Array;
  readonly #y: Float64Array;

  constructor(k: StackedRows, blockDraws: number) {
    const G = k.inner;
    this.#G = G;
    this.blockDraws = blockDraws;
    this.cols = roundUp4(outputsOf(k));
    this.#panels = new Float64Array(this.cols * G);
    packPanels(k, this.#panels);
    this.#v = new Float64Array(roundUp4(this.blockDraws) * G);
    this.#y = new Float64Array(roundUp4(this.blockDraws) * this.cols);
  }

  multiply(v: Float64Array | Float32Array, m: number): Float64Array {
    const G = this.#G;
    const cols = this.cols;
    const m4 = roundUp4(m);
    const V = this.#v;
    const K = this.#panels;
    const Y = this.#y;
    V.set(v.subarray(0, m * G));
    V.fill(0, m * G, m4 * G);
    for (let p = 0; p < cols >> 2; p++) {
      const kBase = p * G * 4;
      for (let j = 0; j < m4; j += 4) {
        let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
        let a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
        const v0 = j * G;
        for (let d = 0; d < G; d++) {
          const k = kBase + d * 4;
          const k0 = K[k]!, k1 = K[k + 1]!, k2 = K[k + 2]!, k3 = K[k + 3]!;
          const w0 = V[v0 + d]!, w1 = V[v0 + G + d]!, w2 = V[v0 + 2 * G + d]!, w3 = V[v0 + 3 * G + d]!;
          a00 += w0 * k0; a01 += w0 * k1; a02 += w0 * k2; a03 += w0 * k3;
          a10 += w1 * k0; a11 += w1 * k1; a12 += w1 * k2; a13 += w1 * k3;
          a20 += w2 * k0; a21 += w2 * k1; a22 += w2 * k2; a23 += w2 * k3;
          a30 += w3 * k0; a31 += w3 * k1; a32 += w3 * k2; a33 += w3 * k3;
        }
        let y = j * cols + 4 * p;
        Y[y] = a00; Y[y + 1] = a01; Y[y + 2] = a02; Y[y + 3] = a03;
        y += cols;
        Y[y] = a10; Y[y + 1] = a11; Y[y + 2] = a12; Y[y + 3] = a13;
        y += cols;
        Y[y] = a20; Y[y + 1] = a21; Y[y + 2] = a22; Y[y + 3] = a23;
        y += cols;
        Y[y] = a30; Y[y + 1] = a31; Y[y + 2] = a32; Y[y + 3] = a33;
      }
    }
    return Y;
  }
}

/** The exported block-product kernel. */
type Gemm = (m4: number, G: number, v: number, k: number, panels: number, y: number) => void;

let compiled: unknown;

/** The compiled kernel, or null where WebAssembly SIMD is unavailable. */
function gemmModule(): unknown {
  if (compiled !== undefined) return compiled;
  const api = wasmApi();
  const bytes = Uint8Array.from(atob(WILD_GEMM_WASM_BASE64), (ch) => ch.charCodeAt(0));
  compiled = api && api.validate(bytes) ? new api.Module(bytes) : null;
  return compiled;
}

const WASM_PAGE = 65_536;
const MAX_BYTES = 4 * 1024 ** 3 - WASM_PAGE;

class WasmBlockProduct implements WildBlockProduct {
  readonly kernel = 'wasm-simd';
  readonly blockDraws: number;
  readonly cols: number;
  readonly #G: number;
  readonly #gemm: Gemm;
  readonly #at: { k: number; v: number; y: number };
  readonly #v: Float64Array;
  readonly #y: Float64Array;

  constructor(k: StackedRows, blockDraws: number, module: unknown) {
    const G = k.inner;
    this.#G = G;
    this.blockDraws = blockDraws;
    this.cols = roundUp4(outputsOf(k));
    const m4 = roundUp4(this.blockDraws);
    const v = this.cols * G * 8;
    const y = v + m4 * G * 8;
    const end = y + m4 * this.cols * 8;
    const instance = new (wasmApi()!).Instance(module, {});
    const memory = instance.exports['memory'] as WasmMemory;
    memory.grow(Math.max(0, Math.ceil(end / WASM_PAGE) - memory.buffer.byteLength / WASM_PAGE));
    const buf = memory.buffer;
    packPanels(k, new Float64Array(buf, 0, this.cols * G));
    this.#gemm = instance.exports['gemm'] as Gemm;
    this.#at = { k: 0, v, y };
    this.#v = new Float64Array(buf, v, m4 * G);
    this.#y = new Float64Array(buf, y, m4 * this.cols);
  }

  static fits(k: StackedRows, blockDraws: number): boolean {
    const cols = roundUp4(outputsOf(k));
    return (cols * k.inner + roundUp4(blockDraws) * (k.inner + cols)) * 8 <= MAX_BYTES;
  }

  multiply(v: Float64Array | Float32Array, m: number): Float64Array {
    const G = this.#G;
    const m4 = roundUp4(m);
    this.#v.set(v.subarray(0, m * G));
    this.#v.fill(0, m * G, m4 * G);
    this.#gemm(m4, G, this.#at.v, this.#at.k, this.cols >> 2, this.#at.y);
    return this.#y;
  }
}

/** WebAssembly SIMD unless asked for 'js' or unavailable ('wasm-simd' then throws). */
export function blockProduct(k: StackedRows, blockDraws: number, choice: WildKernelChoice = 'auto'): WildBlockProduct {
  const module = choice === 'js' ? null : gemmModule();
  if (choice === 'wasm-simd' && !module) throw new Error(`option kernel 'wasm-simd': this runtime has no WebAssembly SIMD`);
  return module && WasmBlockProduct.fits(k, blockDraws) ? new WasmBlockProduct(k, blockDraws, module) : new JsBlockProduct(k, blockDraws);
}
