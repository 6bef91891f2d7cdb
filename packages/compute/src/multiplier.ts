import type { MultiplierWeights } from './kernels.js';
import { mat, type Mat } from './mat.js';
import { createRng, type Rng } from './rng.js';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

const SQRT5 = Math.sqrt(5);
/** Mammen (1993) two-point weights: mean 0, variance 1, third moment 1. */
const MAMMEN_LOW = -(SQRT5 - 1) / 2;
const MAMMEN_HIGH = (SQRT5 + 1) / 2;
const MAMMEN_P_LOW = (SQRT5 + 1) / (2 * SQRT5);
/** Webb (2014) six-point weights: +-sqrt(1/2), +-1, +-sqrt(3/2), each with probability 1/6. */
const WEBB = [-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)];

/** One multiplier weight. */
export function drawWeight(rng: Rng, kind: MultiplierWeights): number {
  switch (kind) {
    case 'rademacher':
      return rng.int(0, 1) === 0 ? -1 : 1;
    case 'mammen':
      return rng.uniform() < MAMMEN_P_LOW ? MAMMEN_LOW : MAMMEN_HIGH;
    case 'webb':
      return WEBB[rng.int(0, 5)]!;
    default:
      throw new RangeError(`unknown multiplier weights '${String(kind)}'; allowed: rademacher, mammen, webb`);
  }
}

export const DEFAULT_CHUNK_SIZE = 1000;

/**
 * The generator state of createRng(seed).stream(index) (xoroshiro128+, the stream a weight chunk
 * draws from) as four int32: s0 low, s0 high, s1 low, s1 high, i.e. two little-endian 64-bit words,
 * for kernels that run the generator themselves. Its Rademacher weights (drawWeight: uniformInt(0, 1)
 * takes one 32-bit output, never rejects, and keeps its low bit; 1 -> +1, 0 -> -1) are then the low
 * bits of s0 + s1 before each step  s1 ^= s0; s0 = rotl(s0, 24) ^ s1 ^ (s1 << 16); s1 = rotl(s1, 37).
 * Derived the way rng.ts derives streams; test/multiplier.test.ts checks the two agree.
 */
export function weightStreamState(seed: number, index: number): Int32Array {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`stream index must be a non-negative integer, got ${index}`);
  const gen = xoroshiro128plus(seed | 0);
  for (let k = 0; k <= index; k++) gen.jump();
  const st = gen.getState(); // [s0 high, s0 low, s1 high, s1 low]
  return Int32Array.of(st[1]!, st[0]!, st[3]!, st[2]!);
}

/**
 * Weights for draws [chunk*chunkSize, ...) : a clusters x drawsInChunk Mat (column b = draw b),
 * from createRng(seed).stream(chunk), so each chunk can be drawn on a different worker.
 */
export function multiplierWeightsChunk(
  seed: number,
  chunk: number,
  drawsInChunk: number,
  clusters: number,
  kind: MultiplierWeights,
): Mat {
  return nextWeights(createRng(seed).stream(chunk), drawsInChunk, clusters, kind);
}

/** The next draws x clusters weights of a stream (draw after draw, cluster after cluster). */
function nextWeights(rng: Rng, draws: number, clusters: number, kind: MultiplierWeights): Mat {
  const data = new Float64Array(clusters * draws);
  for (let k = 0; k < data.length; k++) data[k] = drawWeight(rng, kind);
  return mat(clusters, draws, data);
}

/** Default cap on the weights held at once (clusters x draws of one block): 2^24 values, 128 MiB in float64. */
export const DEFAULT_MAX_BLOCK_VALUES = 2 ** 24;

/**
 * All weights for `draws` draws: a clusters x draws Mat, identical to concatenating the chunks,
 * whatever backend or worker later consumes them.
 */
export function multiplierWeights(opts: {
  seed: number;
  draws: number;
  clusters: number;
  kind: MultiplierWeights;
  chunkSize?: number;
}): Mat {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const data = new Float64Array(opts.clusters * opts.draws);
  for (let start = 0, chunk = 0; start < opts.draws; start += chunkSize, chunk++) {
    const n = Math.min(chunkSize, opts.draws - start);
    data.set(multiplierWeightsChunk(opts.seed, chunk, n, opts.clusters, opts.kind).data, start * opts.clusters);
  }
  return mat(opts.clusters, opts.draws, data);
}

/**
 * Visits the weights chunk by chunk (chunk k = draws [k*chunkSize, ...), from stream k; optionally
 * from draw firstDraw, a multiple of chunkSize). A chunk with more than maxBlockValues weights is
 * visited in blocks of fewer draws cut from the same stream, so a backend never holds more than
 * maxBlockValues weights (at least one draw's worth) whatever the number of clusters or draws, and
 * the draws do not depend on the block size.
 */
export async function forEachWeightChunk(
  opts: { seed: number; draws: number; clusters: number; kind: MultiplierWeights; chunkSize?: number; firstDraw?: number; maxBlockValues?: number },
  visit: (weights: Mat, offset: number) => Promise<void> | void,
): Promise<void> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const blockDraws = Math.max(1, Math.floor((opts.maxBlockValues ?? DEFAULT_MAX_BLOCK_VALUES) / Math.max(1, opts.clusters)));
  const root = createRng(opts.seed);
  // offset counts from firstDraw (this worker's share); chunk numbers are global.
  for (let start = 0, chunk = (opts.firstDraw ?? 0) / chunkSize; start < opts.draws; start += chunkSize, chunk++) {
    const n = Math.min(chunkSize, opts.draws - start);
    const rng = root.stream(chunk);
    for (let done = 0; done < n; done += blockDraws) {
      await visit(nextWeights(rng, Math.min(blockDraws, n - done), opts.clusters, opts.kind), start + done);
    }
  }
}
