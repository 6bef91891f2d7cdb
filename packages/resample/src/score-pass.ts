import { fusedScoreKernel } from './fused-score.js';
import type { TwfePrepared } from './fwl.js';
import { SCORE4_WASM_BASE64 } from './score4-wasm.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';

/** One draw's inputs to the CR1 score pass (balanced panels). */
export interface ScoreLane {
  /** Pseudo-treated units and their start period indices (the first m entries are used). */
  readonly units: Int32Array;
  readonly starts: Int32Array;
  m: number;
  /** Per period: Dbar - (treated units started by t) / N, the time part of the within transform of D. */
  readonly shift: Float64Array;
  /** (Z~'Z~)^-1 Z~'D~: the controls' part of D~. */
  readonly gamma: Float64Array;
  beta: number;
}

/** Which implementation computed the per-draw SEs (recorded in chunk metadata). */
export type SeKernel = 'wasm-simd' | 'js';

/**
 * The O(rows x controls) part of a draw's CR1 SE: for each lane the sum over clusters of the squared
 * cluster score sum_i m_i (e_i - beta m_i), with m = D~ - Z~ gamma.
 */
export interface ScorePass {
  readonly kernel: SeKernel;
  /** Draws computed per call of run. */
  readonly lanes: number;
  run(lanes: readonly ScoreLane[], count: number, meat: Float64Array): void;
}

/** Start index of an untreated unit (no period index reaches it). */
const NEVER = 2 ** 30;

export function newScoreLane(p: TwfePrepared): ScoreLane {
  return { units: new Int32Array(p.nUnits), starts: new Int32Array(p.nUnits), m: 0, shift: new Float64Array(p.nPeriods), gamma: new Float64Array(p.z.length), beta: 0 };
}

/** The float64 JavaScript pass, one draw at a time (the reference, and the fallback without WebAssembly SIMD). */
class JsScorePass implements ScorePass {
  readonly kernel = 'js';
  readonly lanes = 1;
  readonly #p: TwfePrepared;
  readonly #zRows: Float64Array;
  readonly #startOf: Int32Array;
  readonly #dbarU: Float64Array;
  readonly #scores: Float64Array;

  constructor(p: TwfePrepared) {
    const K = p.z.length;
    this.#p = p;
    this.#zRows = new Float64Array(p.n * K);
    p.z.forEach((c, k) => {
      for (let i = 0; i < p.n; i++) this.#zRows[i * K + k] = c[i]!;
    });
    this.#startOf = new Int32Array(p.nUnits).fill(NEVER);
    this.#dbarU = new Float64Array(p.nUnits);
    this.#scores = new Float64Array(p.nClusters);
  }

  run(lanes: readonly ScoreLane[], count: number, meat: Float64Array): void {
    const p = this.#p;
    const T = p.nPeriods;
    const kernel = fusedScoreKernel(p.z.length);
    for (let l = 0; l < count; l++) {
      const lane = lanes[l]!;
      for (let j = 0; j < lane.m; j++) {
        this.#startOf[lane.units[j]!] = lane.starts[j]!;
        this.#dbarU[lane.units[j]!] = (T - lane.starts[j]!) / T;
      }
      const sc = this.#scores.fill(0);
      kernel(p.n, p.unit, p.time, p.cluster, this.#startOf, this.#dbarU, lane.shift, this.#zRows, lane.gamma, p.ey, lane.beta, sc);
      for (let j = 0; j < lane.m; j++) {
        this.#startOf[lane.units[j]!] = NEVER;
        this.#dbarU[lane.units[j]!] = 0;
      }
      meat[l] = sumOfSquares(sc, 0, 1);
    }
  }
}

function sumOfSquares(x: Float64Array, first: number, stride: number): number {
  let s = 0;
  for (let i = first; i < x.length; i += stride) s += x[i]! * x[i]!;
  return s;
}

/** The compiled score4 module. */
interface WasmModule {
  readonly compiled: unknown;
}

let wasmModule: WasmModule | null | undefined;

/** The compiled score4 module, or null where WebAssembly SIMD is unavailable. */
function score4Module(): WasmModule | null {
  if (wasmModule !== undefined) return wasmModule;
  const api = wasmApi();
  const bytes = Uint8Array.from(atob(SCORE4_WASM_BASE64), (ch) => ch.charCodeAt(0));
  wasmModule = api && api.validate(bytes) ? { compiled: new api.Module(bytes) } : null;
  return wasmModule;
}

const WASM_PAGE = 65_536;
const MAX_PAGES = 65_536;

type Score4 = (
  n: number, kp: number, unit: number, time: number, cluster: number, start4: number, du4: number, sh4: number,
  z: number, g4: number, ey: number, b0: number, b1: number, b2: number, b3: number, sc4: number,
) => void;

/**
 * Four draws per pass through the rows in WebAssembly SIMD (wasm/score4.wat), float64 throughout.
 * The rows are copied in period-major order, so consecutive rows add into different clusters.
 */
class WasmScorePass implements ScorePass {
  readonly kernel = 'wasm-simd';
  readonly lanes = 4;
  readonly #p: TwfePrepared;
  readonly #score4: Score4;
  readonly #kp: number;
  readonly #at: Record<'unit' | 'time' | 'cluster' | 'start4' | 'du4' | 'sh4' | 'z' | 'g4' | 'ey' | 'sc4', number>;
  readonly #start4: Int32Array;
  readonly #du4: Float64Array;
  readonly #sh4: Float64Array;
  readonly #g4: Float64Array;
  readonly #sc4: Float64Array;

  constructor(p: TwfePrepared, module: WasmModule) {
    const K = p.z.length;
    const kp = K + (K % 2);
    const sizes = {
      unit: 4 * p.n, time: 4 * p.n, cluster: 4 * p.n, start4: 16 * p.nUnits, du4: 32 * p.nUnits,
      sh4: 32 * p.nPeriods, z: 8 * p.n * kp, g4: 32 * kp, ey: 8 * p.n, sc4: 32 * p.nClusters,
    };
    let end = 0;
    const at = {} as Record<keyof typeof sizes, number>;
    for (const [name, bytes] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      at[name] = end;
      end += Math.ceil(bytes / 16) * 16;
    }
    const pages = Math.ceil(end / WASM_PAGE);
    if (pages > MAX_PAGES) throw new RangeError(`the score pass needs ${end} bytes, over WebAssembly's 4 GiB`);
    const api = wasmApi()!;
    const instance = new api.Instance(module.compiled, {});
    const memory = instance.exports['memory'] as WasmMemory;
    memory.grow(Math.max(0, pages - memory.buffer.byteLength / WASM_PAGE));
    const buf = memory.buffer;
    this.#p = p;
    this.#score4 = instance.exports['score4'] as Score4;
    this.#kp = kp;
    this.#at = at;
    // period-major row order (stable counting sort by period)
    const order = new Int32Array(p.n);
    const next = new Int32Array(p.nPeriods + 1);
    for (let i = 0; i < p.n; i++) next[p.time[i]! + 1]! += 1;
    for (let t = 0; t < p.nPeriods; t++) next[t + 1]! += next[t]!;
    for (let i = 0; i < p.n; i++) order[next[p.time[i]!]!++] = i;
    const unit = new Int32Array(buf, at.unit, p.n);
    const time = new Int32Array(buf, at.time, p.n);
    const cluster = new Int32Array(buf, at.cluster, p.n);
    const ey = new Float64Array(buf, at.ey, p.n);
    const z = new Float64Array(buf, at.z, p.n * kp);
    order.forEach((i, r) => {
      unit[r] = p.unit[i]!;
      time[r] = p.time[i]!;
      cluster[r] = p.cluster[i]!;
      ey[r] = p.ey[i]!;
      for (let k = 0; k < K; k++) z[r * kp + k] = p.z[k]![i]!;
    });
    this.#start4 = new Int32Array(buf, at.start4, 4 * p.nUnits).fill(NEVER);
    this.#du4 = new Float64Array(buf, at.du4, 4 * p.nUnits);
    this.#sh4 = new Float64Array(buf, at.sh4, 4 * p.nPeriods);
    this.#g4 = new Float64Array(buf, at.g4, 4 * kp);
    this.#sc4 = new Float64Array(buf, at.sc4, 4 * p.nClusters);
  }

  run(lanes: readonly ScoreLane[], count: number, meat: Float64Array): void {
    const p = this.#p;
    const T = p.nPeriods;
    const K = p.z.length;
    const beta = [0, 0, 0, 0];
    for (let l = 0; l < 4; l++) {
      const lane = l < count ? lanes[l]! : undefined;
      for (let j = 0; j < (lane?.m ?? 0); j++) {
        this.#start4[lane!.units[j]! * 4 + l] = lane!.starts[j]!;
        this.#du4[lane!.units[j]! * 4 + l] = (T - lane!.starts[j]!) / T;
      }
      for (let t = 0; t < T; t++) this.#sh4[t * 4 + l] = lane ? lane.shift[t]! : 0;
      for (let k = 0; k < K; k++) this.#g4[k * 4 + l] = lane ? lane.gamma[k]! : 0;
      beta[l] = lane ? lane.beta : 0;
    }
    this.#sc4.fill(0);
    const at = this.#at;
    this.#score4(p.n, this.#kp, at.unit, at.time, at.cluster, at.start4, at.du4, at.sh4, at.z, at.g4, at.ey, beta[0]!, beta[1]!, beta[2]!, beta[3]!, at.sc4);
    for (let l = 0; l < count; l++) {
      const lane = lanes[l]!;
      for (let j = 0; j < lane.m; j++) {
        this.#start4[lane.units[j]! * 4 + l] = NEVER;
        this.#du4[lane.units[j]! * 4 + l] = 0;
      }
      meat[l] = sumOfSquares(this.#sc4, l, 4);
    }
  }
}

type MadePass = { pass: ScorePass; note?: string };

/**
 * Passes hold a copy of the panel, so one per prepared panel and kind is kept. Sharing is safe: run()
 * is synchronous and leaves its per-draw state reset.
 */
const passCache = new WeakMap<TwfePrepared, Map<string, MadePass>>();

/**
 * The fastest score pass available: WebAssembly SIMD unless asked for 'js', unavailable, or the
 * panel is too large for a 32-bit WebAssembly memory (then the JS pass, with the reason).
 */
export function createScorePass(p: TwfePrepared, prefer: 'auto' | SeKernel = 'auto'): MadePass {
  let byKind = passCache.get(p);
  if (!byKind) passCache.set(p, (byKind = new Map()));
  let made = byKind.get(prefer);
  if (!made) byKind.set(prefer, (made = makeScorePass(p, prefer)));
  return made;
}

function makeScorePass(p: TwfePrepared, prefer: 'auto' | SeKernel): MadePass {
  if (prefer === 'js') return { pass: new JsScorePass(p) };
  const module = score4Module();
  if (!module) {
    if (prefer === 'wasm-simd') throw new Error(`SE kernel 'wasm-simd': this runtime has no WebAssembly SIMD`);
    return { pass: new JsScorePass(p), note: 'no WebAssembly SIMD in this runtime: SEs computed by the JS kernel' };
  }
  try {
    return { pass: new WasmScorePass(p, module) };
  } catch (err) {
    if (prefer === 'wasm-simd' || !(err instanceof RangeError)) throw err;
    return { pass: new JsScorePass(p), note: `${err.message}: SEs computed by the JS kernel` };
  }
}
