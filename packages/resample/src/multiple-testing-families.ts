import { DEFAULT_CHUNK_SIZE } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { RESAMPLE_VERSION } from './version.js';
import { adjustedFields, adjustedPValues, type AdjustedFields, type AdjustedTestRow } from './multiple-testing-adjust.js';
import { wildNullDraws, type WildHypothesis } from './multiple-testing-draws.js';

export interface FamilyHypothesis extends WildHypothesis {
  /** The family it is adjusted within (default 'all'): the stepdown runs over each family's hypotheses. */
  readonly family?: string;
}

/** The wild bootstrap settings of romanoWolf and wildMultipleTesting. */
export interface WildMultipleTestingSettings {
  readonly cluster: string;
  /** Fixed effects to absorb; default the panel's unit and time. */
  readonly fixedEffects?: readonly string[];
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
  /** Return each hypothesis's t*_b (draw order) in its row. Default false. */
  readonly keepDraws?: boolean;
}

export interface WildMultipleTestingOptions extends WildMultipleTestingSettings {
  /** Each hypothesis its own regression (outcome ~ coefficient + controls | FE), null beta = 0 imposed. */
  readonly hypotheses: readonly FamilyHypothesis[];
}

export interface WildMultipleTestingRow extends AdjustedTestRow {
  readonly coefficient: string;
  readonly family: string;
  readonly nobs: number;
  readonly nClusters: number;
  /** Draws whose bootstrap score was exactly zero (t* infinite or 0/0); they count as in wildClusterBootstrap. */
  readonly drawsDegenerate: number;
  /** t*_b under beta = 0 in draw order (null where infinite), with keepDraws. */
  readonly tStar?: readonly (number | null)[];
}

export interface WildMultipleTestingResult {
  readonly kind: 'wild_multiple_testing';
  readonly spec: Readonly<{ cluster: string; weights: 'rademacher' | 'webb'; draws: number; seed: number; chunkSize: number; bootstrapType: 'WCR'; beta0: 0; plusOne: boolean }>;
  readonly rows: readonly WildMultipleTestingRow[];
  readonly families: readonly Readonly<{ family: string; size: number }>[];
  readonly enumerated: boolean;
  /** Union of the hypotheses' clusters; draw b gives cluster c the same weight in every hypothesis. */
  readonly nClusters: number;
  readonly meta: Readonly<{ backend: 'cpu'; precision: 64; versions: Readonly<Record<string, string>>; timings: Readonly<Record<string, number>> }>;
}

/**
 * Romano–Wolf / Westfall–Young adjusted p-values of any set of coefficient hypotheses (e.g. the
 * event-time coefficients of several outcomes), grouped into families, by the wild cluster
 * restricted bootstrap with one weight vector per draw shared by every hypothesis (wildNullDraws).
 * romanoWolf is the special case of one coefficient across outcomes in one family. All families
 * come from the same draws; the adjustment runs within each.
 */
export async function wildMultipleTesting(frame: PanelFrame, options: WildMultipleTestingOptions): Promise<WildMultipleTestingResult> {
  const t0 = performance.now();
  const hyps = options.hypotheses;
  if (!Array.isArray(hyps) || hyps.length === 0) throw new Error('option hypotheses: give at least one { outcome, coefficient }');
  const seen = new Set<string>();
  for (const [i, h] of hyps.entries()) {
    if (typeof h?.outcome !== 'string' || typeof h.coefficient !== 'string') throw new Error(`option hypotheses[${i}]: needs an outcome and a coefficient column name`);
    const key = `${h.outcome}\u0000${h.coefficient}`;
    if (seen.has(key)) throw new Error(`option hypotheses[${i}]: ${h.coefficient} on ${h.outcome} is listed twice`);
    seen.add(key);
  }
  return adjustWithinFamilies(frame, hyps, options, t0);
}

/**
 * wildMultipleTesting once the hypotheses are checked (romanoWolf checks its outcomes itself): the
 * settings' checks, the shared draws, then the adjustment within each family. Cost as romanoWolf:
 * O(hypotheses x draws x G x r) for the draws, memory O(hypotheses x draws) for the t* matrix.
 */
export async function adjustWithinFamilies(
  frame: PanelFrame,
  hyps: readonly FamilyHypothesis[],
  options: WildMultipleTestingSettings,
  t0: number,
): Promise<WildMultipleTestingResult> {
  const kind = options.weights ?? 'rademacher';
  if (kind !== 'rademacher' && kind !== 'webb') throw new Error(`option weights must be rademacher or webb, got '${String(kind)}'`);
  const asked = options.draws ?? 9999;
  if (!Number.isInteger(asked) || asked < 9) throw new Error(`option draws must be an integer >= 9, got ${asked}`);
  if (!Number.isInteger(options.seed)) throw new Error(`option seed must be an integer, got ${options.seed}`);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`option chunkSize must be a positive integer, got ${chunkSize}`);
  if (options.plusOne !== undefined && typeof options.plusOne !== 'boolean') throw new Error(`option plusOne must be true or false, got ${String(options.plusOne)}`);

  const draws = await wildNullDraws(frame, hyps, { cluster: options.cluster, ...(options.fixedEffects ? { fixedEffects: options.fixedEffects } : {}), kind, asked, seed: options.seed, chunkSize });
  const { prepared, tStar, B } = draws;
  const t1 = performance.now();
  const familyOf = hyps.map((h) => h.family ?? 'all');
  const families = [...new Set(familyOf)];
  const tObs = prepared.map((w) => w.beta / w.se);
  const plusOne = options.plusOne === true;
  const out: AdjustedFields[] = new Array(hyps.length);
  for (const fam of families) {
    const members = familyOf.flatMap((f, k) => (f === fam ? [k] : []));
    // one family holding every hypothesis (romanoWolf) is tStar itself: no copy
    let sub = tStar;
    if (members.length < hyps.length) {
      sub = new Float64Array(members.length * B);
      members.forEach((k, j) => sub.set(tStar.subarray(k * B, (k + 1) * B), j * B));
    }
    const adj = adjustedPValues(members.map((k) => tObs[k]!), sub, B);
    members.forEach((k, j) => (out[k] = adjustedFields(adj, j, B, plusOne)));
  }
  const rows = prepared.map((w, k) =>
    Object.freeze({
      outcome: hyps[k]!.outcome,
      coefficient: hyps[k]!.coefficient,
      family: familyOf[k]!,
      estimate: w.beta,
      se: w.se,
      statistic: tObs[k]!,
      ...out[k]!,
      nobs: w.n,
      nClusters: w.nClusters,
      drawsDegenerate: draws.degenerate[k]!,
      ...(options.keepDraws ? { tStar: Object.freeze(Array.from(tStar.subarray(k * B, (k + 1) * B), (t) => (Number.isFinite(t) ? t : null))) } : {}),
    }),
  );
  return Object.freeze({
    kind: 'wild_multiple_testing',
    spec: Object.freeze({ cluster: options.cluster, weights: kind, draws: B, seed: options.seed, chunkSize, bootstrapType: 'WCR', beta0: 0, plusOne }),
    rows: Object.freeze(rows),
    families: Object.freeze(families.map((f) => Object.freeze({ family: f, size: familyOf.filter((x) => x === f).length }))),
    enumerated: draws.enumerated,
    nClusters: draws.G,
    meta: Object.freeze({
      backend: 'cpu',
      precision: 64,
      versions: Object.freeze({ '@panel-lab/resample': RESAMPLE_VERSION, node: process.version }),
      timings: Object.freeze({ prepare_ms: draws.preparedAt - t0, draws_ms: t1 - draws.preparedAt, adjust_ms: performance.now() - t1 }),
    }),
  });
}
