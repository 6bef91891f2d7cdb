import { forEachWeightChunk, type MultiplierWeights } from '@panel-lab/compute';
import { blockProduct, WILD_BLOCK_DRAWS, type WildBlockProduct, type WildKernelChoice } from './wild-gemm.js';
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
  readonly algorithm?: WildAlgorithmChoice;
}

/** 'dense': G x G products; 'low-rank': diagonal plus rank r (needs w.lowRank). 'auto': low-rank where r <= G / 4. */
export type WildAlgorithmChoice = 'auto' | 'dense' | 'low-rank';

/**
 * Ky v_j and Kx v_j for a block of draws, into a buffer whose row j holds Ky v_j at [0, G) and
 * Kx v_j at [G, 2G), row stride `cols`.
 */
interface CrossProducts {
  readonly kernel: 'wasm-simd' | 'js';
  readonly algorithm: 'dense' | 'low-rank';
  readonly cols: number;
  apply(v: Float64Array | Float32Array, m: number): Float64Array;
}

/** Dense: one product Y = V [Ky; Kx]'. Summation order as the per-draw loop: bit-identical to it. */
function denseProducts(w: WildPrepared, kernel: WildKernelChoice): CrossProducts {
  const p = blockProduct({ parts: [w.Ky, w.Kx], inner: w.nClusters }, WILD_BLOCK_DRAWS, kernel);
  return { kernel: p.kernel, algorithm: 'dense', cols: p.cols, apply: (v, m) => p.multiply(v, m) };
}

/** Low rank: H = V [Cy; Cx]' (m x 2r), then [Ky v; Kx v] = [A v; H v] - ZX' h per draw, the second product over 2m rows. */
function lowRankProducts(w: WildPrepared, kernel: WildKernelChoice, A: Float64Array, H: Float64Array): CrossProducts {
  const G = w.nClusters;
  const { r, ZX, Cy, Cx } = w.lowRank!;
  const ZXt = new Float64Array(G * r);
  for (let k = 0; k < r; k++) for (let c = 0; c < G; c++) ZXt[c * r + k] = ZX[k * G + c]!;
  const first: WildBlockProduct | null = r ? blockProduct({ parts: [Cy, Cx], inner: G }, WILD_BLOCK_DRAWS, kernel) : null;
  const second: WildBlockProduct | null = r ? blockProduct({ parts: [ZXt], inner: r }, 2 * WILD_BLOCK_DRAWS, kernel) : null;
  const cols = 2 * G;
  const out = new Float64Array(WILD_BLOCK_DRAWS * cols);
  const h = new Float64Array(2 * WILD_BLOCK_DRAWS * r);
  return {
    // r = 0 (every FE nested, no controls): Ky, Kx diagonal, no product at all
    kernel: first?.kernel ?? 'js',
    algorithm: 'low-rank',
    cols,
    apply(v, m) {
      let Z: Float64Array | null = null;
      if (first && second) {
        const Y1 = first.multiply(v, m);
        // rows 2j and 2j + 1 of the second product's input: Cy v_j and Cx v_j
        for (let j = 0; j < m; j++) h.set(Y1.subarray(j * first.cols, j * first.cols + 2 * r), 2 * j * r);
        Z = second.multiply(h, 2 * m);
      }
      const zc = second?.cols ?? 0;
      for (let j = 0; j < m; j++) {
        const vj = j * G;
        const oj = j * cols;
        for (let c = 0; c < G; c++) {
          out[oj + c] = A[c]! * v[vj + c]! - (Z ? Z[2 * j * zc + c]! : 0);
          out[oj + G + c] = H[c]! * v[vj + c]! - (Z ? Z[(2 * j + 1) * zc + c]! : 0);
        }
      }
      return out;
    },
  };
}

const AUTO_RANK_SHARE = 0.25;

/** Built once per prepared problem, kernel and algorithm (packing costs O(G^2)); apply() is synchronous, so sharing is safe. */
const cache = new WeakMap<WildPrepared, Map<string, CrossProducts>>();

function crossProducts(w: WildPrepared, kernel: WildKernelChoice, algorithm: WildAlgorithmChoice, A: Float64Array, H: Float64Array): CrossProducts {
  if (algorithm === 'low-rank' && !w.lowRank) throw new Error(`option algorithm 'low-rank': the cross-cluster matrices are not of low rank here (FE not nested in the clusters, or too many controls)`);
  // a low-rank draw costs 4 r G against 2 G^2 dense; below r = G / 4 the saving outweighs its extra passes
  const useLow = algorithm === 'low-rank' || (algorithm === 'auto' && Boolean(w.lowRank) && w.lowRank!.r <= AUTO_RANK_SHARE * w.nClusters);
  const key = `${kernel}:${useLow ? 'low' : 'dense'}`;
  let byKey = cache.get(w);
  if (!byKey) cache.set(w, (byKey = new Map()));
  let made = byKey.get(key);
  if (!made) {
    made = useLow ? lowRankProducts(w, kernel, A, H) : denseProducts(w, kernel);
    byKey.set(key, made);
  }
  return made;
}

/**
 * The five statistics of every draw, a block of draws at a time: Ky v and Kx v of the whole block
 * come from matrix products (wild-gemm.ts), the rest is O(G) per draw. Memory is bounded by
 * the block, not by the draws (beyond the five output numbers per draw). `weights` given: those
 * vectors (the enumeration); otherwise drawn chunk by chunk from the seed, as before.
 */
export async function drawStats(w: WildPrepared, weights: Float64Array[] | null, opts: DrawStatsOptions): Promise<{ stats: DrawStats; kernel: 'wasm-simd' | 'js'; algorithm: 'dense' | 'low-rank' }> {
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
  const product = crossProducts(w, opts.kernel ?? 'auto', opts.algorithm ?? 'auto', A, H);
  const cols = product.cols;
  // draws [first, first + m) with weights v (m x G, draw-major), m <= blockDraws
  const block = (v: Float64Array | Float32Array, m: number, first: number) => {
    const Y = product.apply(v, m);
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
  const bd = WILD_BLOCK_DRAWS;
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
  return { stats: st, kernel: product.kernel, algorithm: product.algorithm };
}
