import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/**
 * A seeded random stream (xoroshiro128+ from pure-rand). Every random procedure in Panel Lab
 * takes one of these, made from an explicit integer seed, so results are reproducible.
 */
export interface Rng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal (Box-Muller, both values used). */
  normal(): number;
  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number;
  /** A new independent stream derived from this one (for chunk k of a job, call stream(k) on the root). */
  stream(index: number): Rng;
}

export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return new XoroshiroRng(xoroshiro128plus(seed | 0), seed);
}

class XoroshiroRng implements Rng {
  readonly #gen: JumpableRandomGenerator;
  readonly #seed: number;
  #spare: number | undefined;

  constructor(gen: JumpableRandomGenerator, seed: number) {
    this.#gen = gen;
    this.#seed = seed;
  }

  uniform(): number {
    return uniformFloat64(this.#gen);
  }

  normal(): number {
    if (this.#spare !== undefined) {
      const s = this.#spare;
      this.#spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  int(from: number, to: number): number {
    return uniformInt(this.#gen, from, to);
  }

  stream(index: number): Rng {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`stream index must be a non-negative integer, got ${index}`);
    // Streams are keyed by (seed, index), independent of how far this stream has been consumed,
    // so chunk k of a job draws the same numbers on whichever worker runs it.
    const gen = xoroshiro128plus(this.#seed | 0);
    for (let k = 0; k <= index; k++) gen.jump();
    return new XoroshiroRng(gen, this.#seed);
  }
}

/** Fisher-Yates shuffle of 0..n-1. */
export function permutation(rng: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** k distinct indices from 0..n-1, uniformly, in random order. */
export function sampleWithoutReplacement(rng: Rng, n: number, k: number): Int32Array {
  if (k > n) throw new RangeError(`cannot draw ${k} of ${n} without replacement`);
  return permutation(rng, n).slice(0, k);
}

/** n indices from 0..n-1 with replacement (a bootstrap resample). */
export function sampleWithReplacement(rng: Rng, n: number, size = n): Int32Array {
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.int(0, n - 1);
  return out;
}
