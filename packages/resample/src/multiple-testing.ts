import { DEFAULT_CHUNK_SIZE, forEachWeightChunk } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { RESAMPLE_VERSION } from './version.js';
import { prepareWild, type WildPrepared } from './wild-prepare.js';
import { drawStats, type DrawStats } from './wild-stats.js';
import { adjustedPValues } from './multiple-testing-adjust.js';

export interface MultipleTestingOptions {
  /** The outcomes, each regressed on the same coefficient, controls, FE and cluster. At least one. */
  readonly outcomes: readonly string[];
  readonly coefficient: string;
  readonly controls?: readonly string[];
  /** Fixed effects to absorb; default the panel's unit and time. */
  readonly fixedEffects?: readonly string[];
  readonly cluster: string;
  /** 'rademacher' (default) or 'webb'. */
  readonly weights?: 'rademacher' | 'webb';
  /** Default 9999. With Rademacher weights and 2^G <= draws, all 2^G sign vectors are enumerated. */
  readonly draws?: number;
  readonly seed: number;
  /** Weights are drawn chunk by chunk (chunk k from stream k), as in wildClusterBootstrap. Default 1000. */
  readonly chunkSize?: number;
  /**
   * false (default): p = #{exceeding draws} / B, as wildClusterBootstrap and fwildclusterboot;
   * true: (# + 1) / (B + 1), as R wildrwolf. Monotone, so the stepdown order and monotonicity are unchanged.
   */
  readonly plusOne?: boolean;
  /** Return each outcome's t*_b (draw order) in its row. Default false. */
  readonly keepDraws?: boolean;
}

export interface MultipleTestingRow {
  readonly outcome: string;
  readonly estimate: number;
  /** CR1 SE, t(G-1) statistic of beta = 0. */
  readonly se: number;
  readonly statistic: number;
  /** Wild cluster restricted bootstrap p-value of this outcome alone: share of |t*_b| >= |t|. */
  readonly pValue: number;
  /** Romano–Wolf stepdown (maxT over the hypotheses not yet rejected), monotone in the step order. */
  readonly pRomanoWolf: number;
  /** Westfall–Young single-step maxT: share of draws whose max_k |t*_bk| >= |t|. */
  readonly pWestfallYoung: number;
  /** Westfall–Young stepdown minP over the draws' marginal bootstrap p-values. */
  readonly pWestfallYoungMinP: number;
  /** 1-based position in the Romano–Wolf step order (largest |t| first). */
  readonly step: number;
  readonly nobs: number;
  readonly nClusters: number;
  /** Draws whose bootstrap score was exactly zero (t* infinite or 0/0); they count as in wildClusterBootstrap. */
  readonly drawsDegenerate: number;
  /** t*_b under beta = 0 in draw order (null where infinite), with keepDraws. */
  readonly tStar?: readonly (number | null)[];
}

export interface MultipleTestingResult {
  readonly kind: 'multiple_testing';
  readonly spec: Readonly<{ coefficient: string; cluster: string; weights: 'rademacher' | 'webb'; draws: number; seed: number; chunkSize: number; bootstrapType: 'WCR'; beta0: 0; plusOne: boolean }>;
  readonly rows: readonly MultipleTestingRow[];
  readonly enumerated: boolean;
  /** Union of the outcomes' clusters; draw b gives cluster c the same weight in every outcome. */
  readonly nClusters: number;
  readonly meta: Readonly<{ backend: 'cpu'; precision: 64; versions: Readonly<Record<string, string>>; timings: Readonly<Record<string, number>> }>;
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
 * Romano–Wolf and Westfall–Young adjusted p-values of one coefficient across several outcomes, by
 * the wild cluster restricted bootstrap (as R wildrwolf / Stata rwolf2 with the null imposed).
 * Every draw uses one weight vector over the union of the clusters, shared by all outcomes, so the
 * outcomes' joint dependence is kept. Per outcome and block of draws the bootstrap t-statistics
 * come from wild-stats.ts's matrix products: cost O(outcomes x draws x G x r) (or G^2 dense), and
 * memory O(outcomes x draws) for the t* matrix the stepdown needs.
 */
export async function romanoWolf(frame: PanelFrame, options: MultipleTestingOptions): Promise<MultipleTestingResult> {
  const t0 = performance.now();
  const outcomes = options.outcomes;
  if (!Array.isArray(outcomes) || outcomes.length === 0) throw new Error('option outcomes: give at least one outcome column');
  if (new Set(outcomes).size !== outcomes.length) throw new Error(`option outcomes: duplicated outcome in [${outcomes.join(', ')}]`);
  const kind = options.weights ?? 'rademacher';
  if (kind !== 'rademacher' && kind !== 'webb') throw new Error(`option weights must be rademacher or webb, got '${String(kind)}'`);
  const asked = options.draws ?? 9999;
  if (!Number.isInteger(asked) || asked < 9) throw new Error(`option draws must be an integer >= 9, got ${asked}`);
  if (!Number.isInteger(options.seed)) throw new Error(`option seed must be an integer, got ${options.seed}`);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`option chunkSize must be a positive integer, got ${chunkSize}`);

  if (options.plusOne !== undefined && typeof options.plusOne !== 'boolean') throw new Error(`option plusOne must be true or false, got ${String(options.plusOne)}`);

  const prepared: WildPrepared[] = outcomes.map((outcome) =>
    prepareWild(frame, { outcome, coefficient: options.coefficient, cluster: options.cluster, ...(options.controls ? { controls: options.controls } : {}), ...(options.fixedEffects ? { fixedEffects: options.fixedEffects } : {}) }),
  );
  // union of the clusters, in first outcome's order then new ones: with one outcome the weights are
  // exactly wildClusterBootstrap's
  const unionIndex = new Map<string, number>();
  for (const w of prepared) for (const l of w.clusterLabels) if (!unionIndex.has(l)) unionIndex.set(l, unionIndex.size);
  const G = unionIndex.size;
  const maps = prepared.map((w) => Int32Array.from(w.clusterLabels, (l) => unionIndex.get(l)!));
  const enumerated = kind === 'rademacher' && G <= 20 && 2 ** G <= asked;
  const B = enumerated ? 2 ** G : asked;
  const K = outcomes.length;
  const t1 = performance.now();

  // tStar[k * B + b]
  const tStar = new Float64Array(K * B);
  const degenerate = new Array<number>(K).fill(0);
  const runBlock = async (v: Float64Array | Float32Array, m: number, first: number) => {
    for (let k = 0; k < K; k++) {
      const w = prepared[k]!;
      const map = maps[k]!;
      const Gk = map.length;
      // this outcome's clusters' weights, draw-major; views of v itself when the clusters are the union in order
      const identity = Gk === G && map.every((c, i) => c === i);
      let flat: Float64Array;
      if (identity && v instanceof Float64Array) flat = v;
      else {
        flat = new Float64Array(m * Gk);
        for (let j = 0; j < m; j++) for (let i = 0; i < Gk; i++) flat[j * Gk + i] = v[j * G + map[i]!]!;
      }
      const sub: Float64Array[] = Array.from({ length: m }, (_, j) => flat.subarray(j * Gk, (j + 1) * Gk));
      const { stats } = await drawStats(w, sub, { seed: options.seed, draws: m, kind, chunkSize, kernel: 'auto', algorithm: 'auto' });
      for (let j = 0; j < m; j++) {
        const t = tStarNull(stats, j, w.vcovAdj);
        if (!Number.isFinite(t) || stats.Saa[j]! <= 0) degenerate[k]!++;
        tStar[k * B + first + j] = t;
      }
    }
  };
  if (enumerated) await runBlock(enumerateSigns(G), B, 0);
  else {
    // one chunk of weights at a time (draws x G, draw-major), shared by every outcome
    await forEachWeightChunk({ seed: options.seed, draws: B, clusters: G, kind, chunkSize }, (mat, first) => runBlock(mat.data, mat.cols, first));
  }
  const t2 = performance.now();
  const tObs = prepared.map((w) => w.beta / w.se);
  const adj = adjustedPValues(tObs, tStar, B);
  const plusOne = options.plusOne === true;
  const report = (p: number) => (plusOne ? (p * B + 1) / (B + 1) : p);
  const rows = prepared.map((w, k) =>
    Object.freeze({
      outcome: outcomes[k]!,
      estimate: w.beta,
      se: w.se,
      statistic: tObs[k]!,
      pValue: report(adj.unadjusted[k]!),
      pRomanoWolf: report(adj.romanoWolf[k]!),
      pWestfallYoung: report(adj.westfallYoungMaxT[k]!),
      pWestfallYoungMinP: report(adj.westfallYoungMinP[k]!),
      step: adj.step[k]!,
      nobs: w.n,
      nClusters: w.nClusters,
      drawsDegenerate: degenerate[k]!,
      ...(options.keepDraws ? { tStar: Object.freeze(Array.from(tStar.subarray(k * B, (k + 1) * B), (t) => (Number.isFinite(t) ? t : null))) } : {}),
    }),
  );
  return Object.freeze({
    kind: 'multiple_testing',
    spec: Object.freeze({ coefficient: options.coefficient, cluster: options.cluster, weights: kind, draws: B, seed: options.seed, chunkSize, bootstrapType: 'WCR', beta0: 0, plusOne }),
    rows: Object.freeze(rows),
    enumerated,
    nClusters: G,
    meta: Object.freeze({
      backend: 'cpu',
      precision: 64,
      versions: Object.freeze({ '@panel-lab/resample': RESAMPLE_VERSION, node: process.version }),
      timings: Object.freeze({ prepare_ms: t1 - t0, draws_ms: t2 - t1, adjust_ms: performance.now() - t2 }),
    }),
  });
}
