import { DEFAULT_CHUNK_SIZE } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { RESAMPLE_VERSION } from './version.js';
import { adjustedPValues } from './multiple-testing-adjust.js';
import { wildNullDraws } from './multiple-testing-draws.js';

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

  const draws = await wildNullDraws(
    frame,
    outcomes.map((outcome) => ({ outcome, coefficient: options.coefficient, ...(options.controls ? { controls: options.controls } : {}) })),
    { cluster: options.cluster, ...(options.fixedEffects ? { fixedEffects: options.fixedEffects } : {}), kind, asked, seed: options.seed, chunkSize },
  );
  const { prepared, tStar, B, enumerated, G, degenerate } = draws;
  const t1 = draws.preparedAt;
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
