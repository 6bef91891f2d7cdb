import { forEachWeightChunk } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { prepareWild, type WildPrepared } from './wild-prepare.js';
import { drawStats, type DrawStats } from './wild-stats.js';

/** One null hypothesis beta = 0: a coefficient in the regression of an outcome on it and the controls. */
export interface WildHypothesis {
  readonly outcome: string;
  readonly coefficient: string;
  readonly controls?: readonly string[];
}

export interface WildNullDraws {
  readonly prepared: readonly WildPrepared[];
  /** t*_bk under beta_k = 0, tStar[k * B + b]. */
  readonly tStar: Float64Array;
  readonly B: number;
  readonly enumerated: boolean;
  /** Union of the hypotheses' clusters. */
  readonly G: number;
  readonly degenerate: readonly number[];
  readonly preparedAt: number;
}

function enumerateSigns(G: number): Float64Array {
  const B = 2 ** G;
  const out = new Float64Array(B * G);
  for (let b = 0; b < B; b++) for (let c = 0; c < G; c++) out[b * G + c] = (b >> c) & 1 ? -1 : 1;
  return out;
}

/** t*_b of beta = 0 under the restricted (null-imposed) bootstrap: P / sqrt(adj Saa), as wildClusterBootstrap at b0 = 0. */
function tStarNull(st: DrawStats, b: number, adj: number): number {
  const num = st.P[b]!;
  const v = adj * st.Saa[b]!;
  return v > 0 ? num / Math.sqrt(v) : num === 0 ? 0 : Math.sign(num) * Number.POSITIVE_INFINITY;
}

/**
 * Restricted wild cluster bootstrap t-statistics of several hypotheses (each its own regression with
 * its null imposed, as wildClusterBootstrap at b0 = 0), one weight vector per draw over the union of
 * the clusters shared by every hypothesis, so their joint dependence is kept. Per hypothesis and
 * block of draws the t* come from wild-stats.ts's matrix products: cost O(K x draws x G x r) (or G^2
 * dense), memory O(K x draws).
 */
export async function wildNullDraws(
  frame: PanelFrame,
  hypotheses: readonly WildHypothesis[],
  options: { cluster: string; fixedEffects?: readonly string[]; kind: 'rademacher' | 'webb'; asked: number; seed: number; chunkSize: number },
): Promise<WildNullDraws> {
  const { kind, asked, seed, chunkSize } = options;
  const prepared: WildPrepared[] = hypotheses.map((h) =>
    prepareWild(frame, { outcome: h.outcome, coefficient: h.coefficient, cluster: options.cluster, ...(h.controls ? { controls: h.controls } : {}), ...(options.fixedEffects ? { fixedEffects: options.fixedEffects } : {}) }),
  );
  // union of the clusters, in the first hypothesis' order then new ones: with one outcome the weights are
  // exactly wildClusterBootstrap's
  const unionIndex = new Map<string, number>();
  for (const w of prepared) for (const l of w.clusterLabels) if (!unionIndex.has(l)) unionIndex.set(l, unionIndex.size);
  const G = unionIndex.size;
  const maps = prepared.map((w) => Int32Array.from(w.clusterLabels, (l) => unionIndex.get(l)!));
  const enumerated = kind === 'rademacher' && G <= 20 && 2 ** G <= asked;
  const B = enumerated ? 2 ** G : asked;
  const K = hypotheses.length;
  const preparedAt = performance.now();

  // tStar[k * B + b]
  const tStar = new Float64Array(K * B);
  const degenerate = new Array<number>(K).fill(0);
  const runBlock = async (v: Float64Array | Float32Array, m: number, first: number) => {
    for (let k = 0; k < K; k++) {
      const w = prepared[k]!;
      const map = maps[k]!;
      const Gk = map.length;
      // this hypothesis' clusters' weights, draw-major; views of v itself when the clusters are the union in order
      const identity = Gk === G && map.every((c, i) => c === i);
      let flat: Float64Array;
      if (identity && v instanceof Float64Array) flat = v;
      else {
        flat = new Float64Array(m * Gk);
        for (let j = 0; j < m; j++) for (let i = 0; i < Gk; i++) flat[j * Gk + i] = v[j * G + map[i]!]!;
      }
      const sub: Float64Array[] = Array.from({ length: m }, (_, j) => flat.subarray(j * Gk, (j + 1) * Gk));
      const { stats } = await drawStats(w, sub, { seed, draws: m, kind, chunkSize, kernel: 'auto', algorithm: 'auto' });
      for (let j = 0; j < m; j++) {
        const t = tStarNull(stats, j, w.vcovAdj);
        if (!Number.isFinite(t) || stats.Saa[j]! <= 0) degenerate[k]!++;
        tStar[k * B + first + j] = t;
      }
    }
  };
  if (enumerated) await runBlock(enumerateSigns(G), B, 0);
  else {
    // one chunk of weights at a time (draws x G, draw-major), shared by every hypothesis
    await forEachWeightChunk({ seed, draws: B, clusters: G, kind, chunkSize }, (mat, first) => runBlock(mat.data, mat.cols, first));
  }
  return { prepared, tStar, B, enumerated, G, degenerate, preparedAt };
}
