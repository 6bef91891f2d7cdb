import { describe, expect, it } from 'vitest';
import { forEachWeightChunk, type MultiplierWeights } from '@panel-lab/compute';
import { prepareWild, wildClusterBootstrap, type WildPrepared } from '../src/index.js';
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
        const got = await drawStats(w, null, { ...opts, kernel });
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
