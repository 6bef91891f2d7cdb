// The machine's measured peaks for the kernels suite's roofline columns (issue 16, item 4), measured the
// way our cpu kernels run: memory bandwidth by STREAM-like copy and triad loops over Float64Arrays in
// JavaScript (arrays far larger than the caches), arithmetic by a dense multiply-add loop in JavaScript
// (scalar, as the js kernels) and in WebAssembly SIMD f64x2 (as the MultiplierBootstrap kernel), one thread.
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

/** What a timed run did: bytes moved and/or floating-point operations (flops; mul and add count one each). */
export interface Work {
  readonly bytes?: number;
  readonly flops?: number;
}

export type PeakName = 'copy' | 'triad' | 'mul-add js' | 'mul-add wasm-simd';

/** STREAM copy a[i] = b[i]: 16 bytes an element (read b, write a). */
export function streamCopy(a: Float64Array, b: Float64Array): Work {
  for (let i = 0; i < a.length; i++) a[i] = b[i]!;
  return { bytes: 16 * a.length };
}

/** STREAM triad a[i] = b[i] + s c[i]: 24 bytes an element (2 flops, counted against memory). */
export function streamTriad(a: Float64Array, b: Float64Array, c: Float64Array, s: number): Work {
  for (let i = 0; i < a.length; i++) a[i] = b[i]! + s * c[i]!;
  return { bytes: 24 * a.length };
}

/** Eight independent scalar accumulators a = a m + c, reps times: 16 flops a rep. */
export function mulAddJs(reps: number, m: number, c: number): { work: Work; value: number } {
  let a0 = 0.1, a1 = 0.2, a2 = 0.3, a3 = 0.4, a4 = 0.5, a5 = 0.6, a6 = 0.7, a7 = 0.8;
  for (let r = 0; r < reps; r++) {
    a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c;
    a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c;
  }
  return { work: { flops: 16 * reps }, value: a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 };
}

/** The WebAssembly SIMD multiply-add loop of peak.wat (32 flops a rep), compiled here with wabt. */
export async function mulAddWasm(): Promise<(reps: number, m: number, c: number) => { work: Work; value: number }> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('peak.wat', readFileSync(new URL('./peak.wat', import.meta.url), 'utf8'), { simd: true });
  let bytes: Uint8Array;
  try {
    mod.validate();
    bytes = mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
  // the DOM lib is not in this project's types: WebAssembly through globalThis
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate(b: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }> } }).WebAssembly;
  const fn = (await wasm.instantiate(bytes)).instance.exports.mulAdd as (reps: number, m: number, c: number) => number;
  return (reps, m, c) => ({ work: { flops: 32 * reps }, value: fn(reps, m, c) });
}

/** Achieved rate of a work over seconds: GB/s for bytes, GFLOP/s for flops (both when both are given). */
export function rates(work: Work, seconds: number): { gbPerS?: number; gflopPerS?: number } {
  return {
    ...(work.bytes !== undefined ? { gbPerS: work.bytes / seconds / 1e9 } : {}),
    ...(work.flops !== undefined ? { gflopPerS: work.flops / seconds / 1e9 } : {}),
  };
}
