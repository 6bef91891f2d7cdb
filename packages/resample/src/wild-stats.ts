import { forEachWeightChunk, type MultiplierWeights } from '@panel-lab/compute';
import { wildBlockProduct, type WildKernelChoice } from './wild-gemm.js';
import type { WildPrepared } from './wild-prepare.js';

/**
 * Per-draw sufficient statistics. Under H0: beta = b0 the restricted residuals are u = yr - b0 xr,
 * and with A_c = sum_c xr yr, H_c = sum_c xr^2, P = sum v_c A_c, Q = sum v_c H_c:
 *   beta*_b - b0 = (P - b0 Q) / xx,
 *   bootstrap cluster score_c = (Ky v)_c - b0 (Kx v)_c - (beta*_b - b0) H_c = alpha_c + b0 gamma_c,
 * so t*_b(b0) = (P - b0 Q) / sqrt(adj (Saa + 2 b0 Sag + b0^2 Sgg)): five numbers per draw, and
 * the p-value at any b0 (test inversion) costs O(draws) without redrawing weights.
 */
export interface DrawStats {
  readonly P: Float64Array;
  readonly Q: Float64Array;
  readonly Saa: Float64Array;
  readonly Sag: Float64Array;
  readonly Sgg: Float64Array;
}

export interface DrawStatsOptions {
  readonly seed: number;
  readonly draws: number;
  readonly kind: MultiplierWeights;
  readonly chunkSize: number;
  readonly kernel?: WildKernelChoice;
}

/**
 * The five statistics of every draw, a block of draws at a time: Ky v and Kx v of the whole block
 * come from one matrix product (wild-gemm.ts), the rest is O(G) per draw. Memory is bounded by
 * the block, not by the draws (beyond the five output numbers per draw). `weights` given: those
 * vectors (the enumeration); otherwise drawn chunk by chunk from the seed, as before.
 */
export async function drawStats(w: WildPrepared, weights: Float64Array[] | null, opts: DrawStatsOptions): Promise<{ stats: DrawStats; kernel: 'wasm-simd' | 'js' }> {
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
  const B = weights ? weights.length : opts.draws;
  const st = { P: new Float64Array(B), Q: new Float64Array(B), Saa: new Float64Array(B), Sag: new Float64Array(B), Sgg: new Float64Array(B) };
  const product = wildBlockProduct(w, opts.kernel);
  const cols = product.cols;
  // draws [first, first + m) with weights v (m x G, draw-major), m <= blockDraws
  const block = (v: Float64Array | Float32Array, m: number, first: number) => {
    const Y = product.multiply(v, m);
    for (let j = 0; j < m; j++) {
      const vj = j * G;
      let P = 0;
      let Q = 0;
      for (let c = 0; c < G; c++) {
        P += v[vj + c]! * A[c]!;
        Q += v[vj + c]! * H[c]!;
      }
      let saa = 0;
      let sag = 0;
      let sgg = 0;
      const yj = j * cols;
      for (let c = 0; c < G; c++) {
        const a = Y[yj + c]! - (P * H[c]!) / xx;
        const g = -Y[yj + G + c]! + (Q * H[c]!) / xx;
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
  };
  const bd = product.blockDraws;
  if (weights) {
    const v = new Float64Array(bd * G);
    for (let first = 0; first < B; first += bd) {
      const m = Math.min(bd, B - first);
      for (let j = 0; j < m; j++) v.set(weights[first + j]!, j * G);
      block(v, m, first);
    }
  } else {
    await forEachWeightChunk({ seed: opts.seed, draws: opts.draws, clusters: G, kind: opts.kind, chunkSize: opts.chunkSize }, (mat, first) => {
      for (let j = 0; j < mat.cols; j += bd) {
        const m = Math.min(bd, mat.cols - j);
        block(mat.data.subarray(j * G, (j + m) * G), m, first + j);
      }
    });
  }
  return { stats: st, kernel: product.kernel };
}
