// Wild cluster restricted bootstrap at the issue-21 size: 1,000 clusters, 99,999 Rademacher draws. cpu = the
// package's wildClusterBootstrap (f64, p-value and CI), in chunks of draws; GPU = its per-draw products Ky v and Kx v
// (the O(draws x G^2) part) as CrossProd on WebGPU, the O(G) rest per draw on the cpu. A separate suite file so
// bootstrap.ts stays untouched.
import { forEachWeightChunk, mat, createRng, type ComputeContext } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';
import { prepareWild, wildClusterBootstrap, type WildPrepared } from '@panel-lab/resample';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { scaledError } from '../gpu/errors.js';
import { achieved, caseDeadline, chunkedFacts, gpuSize, runChunked } from '../gpu/step-budget.js';
import { adapterFacts, context, label, ranOn, targets } from '../gpu/targets.js';

const SIZES = {
  h200: { clusters: 1000, periods: 9, draws: 99_999, chunk: 1000 },
  rehearse: { clusters: 150, periods: 9, draws: 999, chunk: 250 },
} as const;

/** One cluster per unit, 10 controls, half the units treated from period 4 or 6. */
function frame(units: number, periods: number): PanelFrame {
  const rng = createRng(7);
  const n = units * periods;
  const cols: Record<string, Float64Array | string[]> = { city: new Array<string>(n), year: new Float64Array(n), treat: new Float64Array(n), y: new Float64Array(n) };
  const xs = Array.from({ length: 10 }, (_, k) => (cols[`x${k + 1}`] = new Float64Array(n)) as Float64Array);
  for (let u = 0, i = 0; u < units; u++) {
    const fe = rng.normal();
    const g = u % 8 < 2 ? 4 : u % 8 < 4 ? 6 : -1;
    for (let t = 0; t < periods; t++, i++) {
      (cols.city as string[])[i] = `u${u}`;
      (cols.year as Float64Array)[i] = 2011 + t;
      (cols.treat as Float64Array)[i] = g >= 0 && t >= g ? 1 : 0;
      let v = fe + 0.05 * t + 0.5 * rng.normal();
      for (const x of xs) v += 0.1 * (x[i] = rng.normal() + 0.3 * fe);
      (cols.y as Float64Array)[i] = v;
    }
  }
  return PanelFrame.fromColumns(cols, { unit: 'city', time: 'year' });
}

/** Cluster sums A_c = sum x y, H_c = sum x^2 and x'x of the FWL residuals (wild-stats.ts). */
function clusterSums(w: WildPrepared): { A: Float64Array; H: Float64Array; xx: number } {
  const A = new Float64Array(w.nClusters);
  const H = new Float64Array(w.nClusters);
  let xx = 0;
  for (let i = 0; i < w.n; i++) {
    A[w.cluster[i]!]! += w.xr[i]! * w.yr[i]!;
    H[w.cluster[i]!]! += w.xr[i]! ** 2;
    xx += w.xr[i]! ** 2;
  }
  return { A, H, xx };
}

/** Saa of every draw of a chunk (beta0 = 0) from Y = [Ky v, Kx v] (m x 2G, column-major). */
function saa(v: Float64Array, y: Float64Array, m: number, G: number, s: ReturnType<typeof clusterSums>): Float64Array {
  const out = new Float64Array(m);
  for (let b = 0; b < m; b++) {
    let P = 0;
    for (let c = 0; c < G; c++) P += v[b * G + c]! * s.A[c]!;
    let acc = 0;
    for (let c = 0; c < G; c++) acc += (y[c * m + b]! - (P * s.H[c]!) / s.xx) ** 2;
    out[b] = acc;
  }
  return out;
}

/** Ky v and Kx v for a chunk of weight vectors, f64 on the cpu (the check of the GPU rows). */
function productF64(w: WildPrepared, v: Float64Array, m: number): Float64Array {
  const G = w.nClusters;
  const y = new Float64Array(m * 2 * G);
  for (let b = 0; b < m; b++) for (let o = 0; o < 2 * G; o++) {
    const K = o < G ? w.Ky : w.Kx;
    const row = (o % G) * G;
    let acc = 0;
    for (let c = 0; c < G; c++) acc += K[row + c]! * v[b * G + c]!;
    y[o * m + b] = acc;
  }
  return y;
}

export const suite: BenchSuite = {
  name: 'gpu-wild',
  description:
    'Wild cluster restricted bootstrap (WCR, Rademacher) of a TWFE coefficient with 10 controls, one cluster per unit: cpu = wildClusterBootstrap (f64, p-value + CI, WebAssembly GEMM) run in chunks of draws; GPU = the per-draw products [Ky v, Kx v] as one CrossProd per chunk on tfjs:webgpu / gpujs:webgpu plus the O(G) statistics on the cpu. saa_error_vs_f64: the per-draw score sums of squares of 64 draws against f64. Chunks until done or the time share is spent.',
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    const size = gpuSize(scale);
    if (!size) return [];
    const s = SIZES[size];
    let prepared: WildPrepared | undefined;
    const data = () => (prepared ??= prepareWild(frame(s.clusters, s.periods), { outcome: 'y', coefficient: 'treat', controls: Array.from({ length: 10 }, (_, k) => `x${k + 1}`), cluster: 'city' }));
    const all = targets();
    return all.map((t, k) => {
      const c: BenchCase = {
        name: `WCR ${s.clusters} clusters, ${s.draws} Rademacher draws [${label(t)}]`,
        params: { clusters: s.clusters, periods: s.periods, draws: s.draws, chunk: s.chunk, requested: label(t) },
        setup: async () => {
          const w = data();
          if (t.backend === 'cpu') {
            c.backend = 'cpu';
            return { w };
          }
          const ctx = await context(t);
          c.backend = ranOn(ctx);
          const G = w.nClusters;
          const K = mat(G, 2 * G, Float64Array.from([...w.Ky, ...w.Kx]));
          const sums = clusterSums(w);
          let error = NaN;
          await forEachWeightChunk({ seed: 5, draws: 64, clusters: G, kind: 'rademacher', chunkSize: 64 }, async (v) => {
            const y = await ctx.run('CrossProd', { a: v, b: K }, {}); // also the warm-up
            error = scaledError(saa(v.data as Float64Array, y.data as Float64Array, 64, G, sums), saa(v.data as Float64Array, productF64(w, v.data as Float64Array, 64), 64, G, sums));
          });
          return { w, ctx, K, sums, error };
        },
        run: async (state) => {
          const { w, ctx, K, sums, error } = state as { w: WildPrepared; ctx?: ComputeContext; K?: ReturnType<typeof mat>; sums?: ReturnType<typeof clusterSums>; error?: number };
          const G = w.nClusters;
          let pValue: number | null = null;
          const r = await runChunked(s.draws, s.chunk, caseDeadline(all.length - k), async (first, count) => {
            if (!ctx) {
              pValue = (await wildClusterBootstrap(w, { seed: 1 + first, draws: count, weights: 'rademacher' })).pValue;
              return;
            }
            await forEachWeightChunk({ seed: 1, draws: count, clusters: G, kind: 'rademacher', chunkSize: s.chunk, firstDraw: first }, async (v) => {
              const y = await ctx.run('CrossProd', { a: v, b: K! }, {});
              saa(v.data as Float64Array, y.data as Float64Array, v.cols, G, sums!);
            });
          });
          return {
            requested_backend: label(t),
            ...(ctx ? { ...adapterFacts(ctx), precision: ctx.meta.precision, saa_error_vs_f64: error } : { precision: 64, last_chunk_p_value: pValue }),
            ...chunkedFacts(r, 'draws'),
            ...achieved(4 * r.done * G, 2 * r.done * 2 * G * G, r.seconds),
            note: `${r.done} of ${s.draws} draws in ${r.seconds.toFixed(2)} s (${(r.done / r.seconds).toFixed(0)} draws/s)${r.complete ? '' : `; full size EXTRAPOLATED ${(s.draws / (r.done / r.seconds)).toFixed(1)} s`}${ctx ? `; Saa error vs f64 ${error!.toExponential(2)}` : '; cpu row includes the CI by test inversion per chunk'}`,
          };
        },
      };
      return c;
    });
  },
};
