import { describe, expect, it } from 'vitest';
import { forEachWeightChunk, type MultiplierWeights } from '@panel-lab/compute';
import { prepareWild, wildClusterBootstrap, type WildPrepared } from '../src/index.js';
import { sweepInverse } from '../src/wild-lowrank.js';
import { drawStats, type DrawStats } from '../src/wild-stats.js';
import { makePanel } from './dgp.js';

/** The per-draw computation the blocked path replaced: two G x G matrix-vector products per draw. */
async function referenceStats(w: WildPrepared, opts: { seed: number; draws: number; kind: MultiplierWeights; chunkSize: number }): Promise<DrawStats> {
  const G = w.nClusters;
  const A = new Float64Array(G);
  const H = new Float64Array(G);
  let xx = 0;
  for (let i = 0; i < w.n; i++) {
    const x = w.xr[i]!;
    A[w.cluster[i]!]! += x * w.yr[i]!;
    H[w.cluster[i]!]! += x * x;
    xx += x * x;
  }
  const B = opts.draws;
  const st = { P: new Float64Array(B), Q: new Float64Array(B), Saa: new Float64Array(B), Sag: new Float64Array(B), Sgg: new Float64Array(B) };
  await forEachWeightChunk({ seed: opts.seed, draws: B, clusters: G, kind: opts.kind, chunkSize: opts.chunkSize }, (m, first) => {
    for (let j = 0; j < m.cols; j++) {
      const v = Float64Array.from(m.data.subarray(j * G, (j + 1) * G));
      let P = 0;
      let Q = 0;
      for (let c = 0; c < G; c++) {
        P += v[c]! * A[c]!;
        Q += v[c]! * H[c]!;
      }
      let saa = 0;
      let sag = 0;
      let sgg = 0;
      for (let c = 0; c < G; c++) {
        let ky = 0;
        let kx = 0;
        for (let d = 0; d < G; d++) {
          ky += w.Ky[c * G + d]! * v[d]!;
          kx += w.Kx[c * G + d]! * v[d]!;
        }
        const a = ky - (P * H[c]!) / xx;
        const g = -kx + (Q * H[c]!) / xx;
        saa += a * a;
        sag += a * g;
        sgg += g * g;
      }
      const b = first + j;
      st.P[b] = P;
      st.Q[b] = Q;
      st.Saa[b] = saa;
      st.Sag[b] = sag;
      st.Sgg[b] = sgg;
    }
  });
  return st;
}

function maxRel(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1e-300, Math.abs(b[i]!)));
  return m;
}

const spec = { outcome: 'y', coefficient: 'treat', controls: ['x1', 'x2'] } as const;

describe('WCR draws in blocks (matrix-matrix) equal the per-draw computation', () => {
  // G not a multiple of 4, draws not a multiple of the block, chunks that split blocks
  const cases = [
    { name: '37 zones, webb, 203 draws in chunks of 50', zones: 37, units: 74, kind: 'webb' as const, draws: 203, chunkSize: 50 },
    { name: '150 clusters (one per unit), rademacher, 301 draws', zones: 0, units: 150, kind: 'rademacher' as const, draws: 301, chunkSize: 1000 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const frame = makePanel({ seed: 31, units: c.units, zones: c.zones, controls: 2 });
      const w = prepareWild(frame, { ...spec, cluster: c.zones ? 'zone' : 'city' });
      const opts = { seed: 5, draws: c.draws, kind: c.kind, chunkSize: c.chunkSize };
      const ref = await referenceStats(w, opts);
      for (const kernel of ['js', 'wasm-simd'] as const) {
        const got = await drawStats(w, null, { ...opts, kernel, algorithm: 'dense' });
        expect(got.kernel).toBe(kernel);
        for (const key of ['P', 'Q', 'Saa', 'Sag', 'Sgg'] as const) {
          expect(maxRel(got.stats[key], ref[key])).toBeLessThanOrEqual(1e-12);
          // same summation order, separate multiply and add: bit-identical, not merely close
          expect(got.stats[key]).toEqual(ref[key]);
        }
      }
    });
  }

  it('the bootstrap result is the same with either kernel', async () => {
    const frame = makePanel({ seed: 32, units: 90, zones: 45, controls: 2 });
    const opts = { ...spec, cluster: 'zone', seed: 3, draws: 499, weights: 'webb' as const };
    const js = await wildClusterBootstrap(frame, { ...opts, kernel: 'js' });
    const wasm = await wildClusterBootstrap(frame, { ...opts, kernel: 'wasm-simd' });
    expect(js.meta.kernel).toBe('js');
    expect(wasm.meta.kernel).toBe('wasm-simd');
    expect(wasm.tStar).toEqual(js.tStar);
    expect(wasm.pValue).toBe(js.pValue);
    expect(wasm.confInt).toEqual(js.confInt);
    await expect(wildClusterBootstrap(frame, { ...opts, kernel: 'gpu' as never })).rejects.toThrow(/option kernel/);
  });
});

describe('WCR cross-cluster matrices as diagonal plus low rank', () => {
  const cases = [
    { name: 'city + year FE, 2 controls, 60 zones (city nested)', units: 120, zones: 60, cluster: 'zone', fe: undefined, controls: ['x1', 'x2'] },
    { name: 'one cluster per city, 2 controls', units: 150, zones: 0, cluster: 'city', fe: undefined, controls: ['x1', 'x2'] },
    { name: 'no FE: intercept and 2 controls', units: 120, zones: 60, cluster: 'zone', fe: [], controls: ['x1', 'x2'] },
    { name: 'year FE only, no controls (nothing nested)', units: 120, zones: 60, cluster: 'zone', fe: ['year'], controls: [] },
    { name: 'city FE only, no controls: r = 0, Ky and Kx diagonal', units: 120, zones: 60, cluster: 'zone', fe: ['city'], controls: [] },
    { name: 'city, zone and year FE (two nested)', units: 120, zones: 60, cluster: 'zone', fe: ['city', 'zone', 'year'], controls: ['x1'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const frame = makePanel({ seed: 33, units: c.units, zones: c.zones, controls: 2 });
      const w = prepareWild(frame, { outcome: 'y', coefficient: 'treat', controls: c.controls, cluster: c.cluster, ...(c.fe ? { fixedEffects: c.fe } : {}) });
      expect(w.lowRank).not.toBeNull();
      const G = w.nClusters;
      const { r, ZX, Cy, Cx } = w.lowRank!;
      // Ky = diag(A) - ZX' Cy against the dense matrix built column by column through the FWL projection
      const A = new Float64Array(G);
      const H = new Float64Array(G);
      for (let i = 0; i < w.n; i++) {
        A[w.cluster[i]!]! += w.xr[i]! * w.yr[i]!;
        H[w.cluster[i]!]! += w.xr[i]! ** 2;
      }
      let scale = 0;
      for (const v of w.Ky) scale = Math.max(scale, Math.abs(v));
      let err = 0;
      for (let a = 0; a < G; a++) {
        for (let b = 0; b < G; b++) {
          let ky = a === b ? A[a]! : 0;
          let kx = a === b ? H[a]! : 0;
          for (let k = 0; k < r; k++) {
            ky -= ZX[k * G + a]! * Cy[k * G + b]!;
            kx -= ZX[k * G + a]! * Cx[k * G + b]!;
          }
          err = Math.max(err, Math.abs(ky - w.Ky[a * G + b]!), Math.abs(kx - w.Kx[a * G + b]!));
        }
      }
      expect(err).toBeLessThan(1e-9 * Math.max(1, scale));
      const opts = { seed: 8, draws: 133, kind: 'webb' as const, chunkSize: 70 };
      const dense = await drawStats(w, null, { ...opts, algorithm: 'dense' });
      for (const kernel of ['js', 'wasm-simd'] as const) {
        const low = await drawStats(w, null, { ...opts, algorithm: 'low-rank', kernel });
        expect(low.algorithm).toBe('low-rank');
        for (const key of ['P', 'Q', 'Saa', 'Sag', 'Sgg'] as const) expect(maxRel(low.stats[key], dense.stats[key])).toBeLessThan(1e-8);
      }
      const res = await wildClusterBootstrap(w, { seed: 8, draws: 199 });
      expect(res.meta.algorithm).toBe('low-rank');
    });
  }

  it('falls back to the dense products where the non-nested part is not small (clustered by year)', async () => {
    const frame = makePanel({ seed: 34, units: 40, controls: 2 });
    const w = prepareWild(frame, { ...spec, cluster: 'year' });
    expect(w.lowRank).toBeNull();
    // 12 zones: city nested, but r = 8 years + 2 controls is close to G
    const z = prepareWild(makePanel({ seed: 35, units: 48, zones: 12, controls: 2 }), { ...spec, cluster: 'zone' });
    expect(z.lowRank?.r).toBe(10);
    expect((await wildClusterBootstrap(z, { seed: 1, draws: 99 })).meta.algorithm).toBe('dense');
    expect((await wildClusterBootstrap(w, { seed: 1, draws: 99 })).meta.algorithm).toBe('dense');
    await expect(wildClusterBootstrap(w, { seed: 1, draws: 99, algorithm: 'low-rank' })).rejects.toThrow(/option algorithm 'low-rank'/);
  });

  it('sweepInverse: the inverse on an independent subset of a singular PSD matrix', () => {
    // columns 0, 1 independent, column 2 = column 0 + column 1
    const Z = [[1, 0, 1], [0, 1, 1], [2, 1, 3], [1, 3, 4]];
    const S = new Float64Array(9);
    for (const row of Z) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) S[a * 3 + b]! += row[a]! * row[b]!;
    const inv = sweepInverse(S, 3);
    // S Ginv S = S (a generalized inverse)
    const mul = (X: Float64Array, Y: Float64Array) => Float64Array.from({ length: 9 }, (_, k) => [0, 1, 2].reduce((s, j) => s + X[Math.floor(k / 3) * 3 + j]! * Y[j * 3 + (k % 3)]!, 0));
    const back = mul(mul(S, inv), S);
    back.forEach((v, k) => expect(Math.abs(v - S[k]!)).toBeLessThan(1e-9));
    expect(inv[2 * 3 + 2]).toBe(0);
  });
});
