import { describe, expect, it } from 'vitest';
import { createRng, drawWeight, forEachWeightChunk, multiplierWeights, multiplierWeightsChunk, weightStreamState } from '../src/index.js';

describe('multiplier weights', () => {
  it('have mean 0 and variance 1 (Mammen: third moment 1) within Monte-Carlo error', () => {
    const n = 40_000;
    for (const kind of ['rademacher', 'mammen', 'webb'] as const) {
      const rng = createRng(3);
      let m1 = 0;
      let m2 = 0;
      let m3 = 0;
      for (let i = 0; i < n; i++) {
        const w = drawWeight(rng, kind);
        m1 += w;
        m2 += w * w;
        m3 += w ** 3;
      }
      // 5 standard errors: the sd of a weight is 1, of w^2 at most ~1.3
      expect(Math.abs(m1 / n)).toBeLessThan(5 / Math.sqrt(n));
      expect(Math.abs(m2 / n - 1)).toBeLessThan(kind === 'rademacher' ? 1e-12 : 7 / Math.sqrt(n));
      if (kind === 'mammen') expect(Math.abs(m3 / n - 1)).toBeLessThan(10 / Math.sqrt(n));
    }
  });

  it('are the concatenation of per-chunk streams, whatever the chunking used to consume them', () => {
    const all = multiplierWeights({ seed: 5, draws: 10, clusters: 3, kind: 'webb', chunkSize: 4 });
    const c0 = multiplierWeightsChunk(5, 0, 4, 3, 'webb');
    const c2 = multiplierWeightsChunk(5, 2, 2, 3, 'webb');
    expect(Array.from(all.data.subarray(0, 12))).toEqual(Array.from(c0.data));
    expect(Array.from(all.data.subarray(24, 30))).toEqual(Array.from(c2.data));
    expect(multiplierWeights({ seed: 5, draws: 10, clusters: 3, kind: 'webb', chunkSize: 4 }).data).toEqual(all.data);
    expect(multiplierWeights({ seed: 6, draws: 10, clusters: 3, kind: 'webb', chunkSize: 4 }).data).not.toEqual(all.data);
  });

  it('are visited in blocks of at most maxBlockValues weights, cut from the same streams', async () => {
    const all = multiplierWeights({ seed: 7, draws: 23, clusters: 5, kind: 'rademacher', chunkSize: 10 });
    for (const maxBlockValues of [1, 12, 15, 50, 1e6]) {
      const seen = new Float64Array(all.data.length);
      const widths: number[] = [];
      await forEachWeightChunk({ seed: 7, draws: 23, clusters: 5, kind: 'rademacher', chunkSize: 10, maxBlockValues }, (w, offset) => {
        expect(w.rows).toBe(5);
        widths.push(w.cols);
        seen.set(w.data, offset * 5);
      });
      expect(seen).toEqual(all.data);
      // at most maxBlockValues weights per block, but never less than one draw
      expect(Math.max(...widths)).toBe(Math.min(10, Math.max(1, Math.floor(maxBlockValues / 5))));
    }
  });
});

describe('weightStreamState', () => {
  /** xoroshiro128+ on the state as the kernels run it (BigInt, 64-bit words). */
  function lowBits(state: Int32Array, count: number): number[] {
    const u = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    const M = (1n << 64n) - 1n;
    const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & M;
    let s0 = u(state[0]!, state[1]!);
    let s1 = u(state[2]!, state[3]!);
    const bits: number[] = [];
    for (let i = 0; i < count; i++) {
      bits.push(Number((s0 + s1) & 1n));
      s1 ^= s0;
      s0 = rotl(s0, 24n) ^ s1 ^ ((s1 << 16n) & M);
      s1 = rotl(s1, 37n);
    }
    return bits;
  }

  it('is the state of createRng(seed).stream(index): its low output bits are the Rademacher weights', () => {
    for (const seed of [0, 1, -7, 123456789, 2 ** 31 - 1]) {
      for (const index of [0, 1, 5]) {
        const rng = createRng(seed).stream(index);
        const want = Array.from({ length: 300 }, () => (drawWeight(rng, 'rademacher') === 1 ? 1 : 0));
        expect(lowBits(weightStreamState(seed, index), 300)).toEqual(want);
      }
    }
  });

  it('rejects a non-integer seed or index', () => {
    expect(() => weightStreamState(1.5, 0)).toThrow(/seed/);
    expect(() => weightStreamState(1, 0.5)).toThrow(/index/);
  });
});
