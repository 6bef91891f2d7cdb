/**
 * R's default generator (Mersenne-Twister seeded by set.seed, normals by inversion), so the two
 * simulated quantities of HonestDiD (the least-favourable critical value and the folded-normal
 * quantile of the FLCI) reproduce the R package's draws exactly for a given seed.
 */
import { qnorm } from '../internal/stats.js';

const N = 624;
const M = 397;
const TWO_POW_M32 = 2.3283064365386963e-10;

export class RRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`sensitivity: seed must be an integer, got ${seed}`);
    // set.seed's scrambling: 50 LCG steps, then one LCG step per state word (the first word is R's mti slot).
    let s = seed >>> 0;
    for (let j = 0; j < 50; j++) s = (Math.imul(69069, s) + 1) >>> 0;
    s = (Math.imul(69069, s) + 1) >>> 0; // dummy[0], overwritten by mti = 624
    for (let j = 0; j < N; j++) {
      s = (Math.imul(69069, s) + 1) >>> 0;
      this.mt[j] = s;
    }
    this.mti = N;
  }

  private nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk]! & 0x80000000) | (mt[kk + 1]! & 0x7fffffff);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk]! & 0x80000000) | (mt[kk + 1]! & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[N - 1]! & 0x80000000) | (mt[0]! & 0x7fffffff);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** unif_rand(): in (0, 1), never exactly 0 or 1. */
  unif(): number {
    const v = this.nextUint32() * TWO_POW_M32;
    if (v <= 0) return 0.5 * TWO_POW_M32;
    if (1 - v <= 0) return 1 - 0.5 * TWO_POW_M32;
    return v;
  }

  /** norm_rand() with R's INVERSION method (two uniforms for 2^-27 resolution). */
  norm(): number {
    const big = 134217728;
    let u = this.unif();
    u = Math.trunc(big * u) + this.unif();
    return qnorm(u / big);
  }
}

/** mvtnorm::rmvnorm(n, sigma = sigma) with its default eigen method: row i is z_i' sigma^(1/2). */
export function rmvnormR(rng: RRandom, n: number, sqrtSigma: readonly (readonly number[])[]): number[][] {
  const k = sqrtSigma.length;
  const out: number[][] = [];
  const z = new Array<number>(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) z[j] = rng.norm();
    const row = new Array<number>(k).fill(0);
    for (let j = 0; j < k; j++) for (let c = 0; c < k; c++) row[c] = row[c]! + z[j]! * sqrtSigma[j]![c]!;
    out.push(row);
  }
  return out;
}

/** quantile(x, p) with R's default type 7. */
export function quantileType7(values: ArrayLike<number>, p: number): number {
  const x = Float64Array.from(values).sort();
  if (x.length === 0) return Number.NaN;
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, x.length - 1);
  return x[lo]! + (h - lo) * (x[hi]! - x[lo]!);
}
