/**
 * R's sample() on top of R's Mersenne-Twister (RRandom): integer draws by rejection sampling
 * ("Rejection" sample.kind, R >= 3.6), so a seed reproduces R's placebo permutations and
 * bootstrap draws exactly.
 */
import { RRandom } from '../sensitivity/r-rng.js';

export { RRandom };

/** R_unif_index: uniform integer in [0, n) from 16-bit chunks, rejecting values >= n. */
export function unifIndex(rng: RRandom, n: number): number {
  if (n <= 0) return 0;
  const bits = Math.ceil(Math.log2(n));
  for (;;) {
    let v = 0;
    for (let k = 0; k <= bits; k += 16) v = 65536 * v + Math.floor(rng.unif() * 65536);
    // keep the low `bits` bits (v < 2^48, exact in a double)
    const dv = v % 2 ** bits;
    if (dv < n) return dv;
  }
}

/** sample(1:n): a random permutation, 0-based. */
export function samplePermutation(rng: RRandom, n: number): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(n);
  let left = n;
  for (let i = 0; i < n; i++) {
    const j = unifIndex(rng, left);
    out[i] = pool[j]!;
    pool[j] = pool[--left]!;
  }
  return out;
}

/** sample(1:n, replace = TRUE): n draws with replacement, 0-based. */
export function sampleWithReplacement(rng: RRandom, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = unifIndex(rng, n);
  return out;
}
