import { mat, type ComputeContext, type MultiplierWeights } from '@panel-lab/compute';
import { adjustedFields, adjustedPValues, type AdjustedTestRow } from '@panel-lab/resample';
import { qnorm, quantileType1 } from '../internal/stats.js';
import type { AggteResult } from './aggte.js';
import { payloadOf } from './influence.js';

export interface CsMultipleTestingOptions {
  readonly seed: number;
  /** Default 999. */
  readonly draws?: number;
  /** Default 'rademacher' (as withMultiplierBootstrap). */
  readonly weights?: MultiplierWeights;
  /** false (default): p = #{exceeding draws} / B; true: (# + 1) / (B + 1). */
  readonly plusOne?: boolean;
  /** Return each outcome's bootstrap t* (draw order). Default false. */
  readonly keepDraws?: boolean;
}

/** The overall ATT of the aggregation, per outcome; se is the bootstrap SE of the joint draws, IQR / (z(.75) - z(.25)), as withMultiplierBootstrap. */
export interface CsMultipleTestingRow extends AdjustedTestRow {
  readonly tStar?: readonly number[];
}

export interface CsMultipleTestingResult {
  readonly kind: 'cs_multiple_testing';
  readonly spec: Readonly<{ draws: number; seed: number; weights: MultiplierWeights; plusOne: boolean; aggregation: string; parameter: 'overall ATT' }>;
  readonly rows: readonly CsMultipleTestingRow[];
  /** Bootstrap clusters (units, or the cluster column's levels), the union over the outcomes. */
  readonly nClusters: number;
  readonly clusteredBy: 'unit' | 'row' | 'cluster';
  readonly meta: Readonly<{ backend: string; timings: Readonly<Record<string, number>> }>;
}

const IQR_Z = qnorm(0.75) - qnorm(0.25);

/**
 * Multiplier-bootstrap draws of the overall ATT of several aggte results (one per outcome, all from
 * one frame) with one weight per bootstrap cluster shared by every outcome: draw b gives unit (or
 * cluster) c the same weight in every outcome, so the draws keep the outcomes' joint dependence and
 * the max over outcomes has the right distribution. Clusters are the union over the outcomes in
 * order of first appearance, so with one outcome the weights are exactly withMultiplierBootstrap's.
 * One MultiplierBootstrap kernel call on the G x K cluster sums: O(n K + B G K).
 * Returns theta*_bk - theta_k (draws x K, column-major), centred at zero as in did's mboot.
 */
export async function jointMultiplierDraws(
  results: readonly AggteResult[],
  ctx: ComputeContext,
  options: { seed: number; draws: number; weights: MultiplierWeights },
): Promise<{ draws: Float64Array | Float32Array; nClusters: number; clusteredBy: 'unit' | 'row' | 'cluster' }> {
  if (results.length === 0) throw new Error('jointMultiplierDraws: give at least one aggte result');
  return jointColumnDraws(results.map((result) => ({ result, column: payloadOf(result, 'jointMultiplierDraws').infCols - 1 })), ctx, options);
}

/**
 * jointMultiplierDraws for any influence columns (column m of aggte's payload is its m-th egt
 * parameter, the last the overall ATT), several columns of one result allowed: draws x items,
 * column-major, each centred at zero. The weights depend only on the bootstrap clusters and the seed.
 */
export async function jointColumnDraws(
  items: readonly { readonly result: AggteResult; readonly column: number }[],
  ctx: ComputeContext,
  options: { seed: number; draws: number; weights: MultiplierWeights },
): Promise<{ draws: Float64Array | Float32Array; nClusters: number; clusteredBy: 'unit' | 'row' | 'cluster' }> {
  const payloads = items.map((it) => payloadOf(it.result, 'jointMultiplierDraws'));
  const clustered = payloads.map((p) => p.clusterIds !== null);
  if (clustered.some((c) => c !== clustered[0])) throw new Error('jointMultiplierDraws: the results must all be clustered by the same column, or none');
  const kinds = new Set(payloads.map((p) => p.idKind));
  if (!clustered[0] && kinds.size > 1) throw new Error('jointMultiplierDraws: the results mix panel units and cross-section rows; their bootstrap weights cannot be shared');
  const clusteredBy = clustered[0] ? 'cluster' : payloads[0]!.idKind;
  const union = new Map<number, number>();
  const mapOf = new Map<object, Int32Array>();
  for (const p of payloads) {
    if (mapOf.has(p)) continue;
    const keys = p.clusterIds ?? p.ids;
    mapOf.set(p, Int32Array.from(keys, (key) => {
      let c = union.get(key);
      if (c === undefined) union.set(key, (c = union.size));
      return c;
    }));
  }
  const G = union.size;
  const K = items.length;
  // S[k * G + c] = (G / n_k) sum over the rows of cluster c of item k's influence column; the kernel
  // divides by its row count G, so each column comes out as (1/n_k) sum_c V_bc S_ck
  const S = new Float64Array(G * K);
  items.forEach((it, k) => {
    const p = payloads[k]!;
    const n = it.result.n;
    if (!Number.isInteger(it.column) || it.column < 0 || it.column >= p.infCols) throw new Error(`jointMultiplierDraws: column ${it.column} is not one of the result's ${p.infCols} influence columns`);
    const scale = G / n;
    const map = mapOf.get(p)!;
    for (let i = 0; i < n; i++) {
      const v = p.inf[it.column * n + i]!;
      if (!Number.isFinite(v)) throw new Error(`jointMultiplierDraws: item ${k + 1} has a non-finite influence value (row ${i + 1})`);
      S[k * G + map[i]!]! += scale * v;
    }
  });
  const out = await ctx.run('MultiplierBootstrap', { inf: mat(G, K, S) }, { draws: options.draws, seed: options.seed, weights: options.weights });
  return { draws: out.data, nClusters: G, clusteredBy };
}

/**
 * Romano–Wolf (2005) stepdown and Westfall–Young (1993) maxT / stepdown minP adjusted p-values of
 * the overall ATTs of several outcomes (did's multiplier bootstrap with shared weights, see
 * jointMultiplierDraws). t_k = ATT_k / se_k and t*_bk = (theta*_bk - ATT_k) / se_k with se_k the
 * bootstrap SE of the same draws; the draws are centred at the estimate, so they are draws of t under
 * the null (as in the max-t uniform band). One outcome: every adjusted p is the bootstrap p.
 */
export async function csMultipleTesting(
  results: readonly { readonly outcome: string; readonly result: AggteResult }[],
  ctx: ComputeContext,
  options: CsMultipleTestingOptions,
): Promise<CsMultipleTestingResult> {
  const t0 = performance.now();
  const draws = options.draws ?? 999;
  const weights = options.weights ?? 'rademacher';
  if (!Number.isInteger(options.seed)) throw new Error(`csMultipleTesting: option seed must be an integer, got ${options.seed}`);
  if (!Number.isInteger(draws) || draws < 10) throw new Error(`csMultipleTesting: option draws must be an integer >= 10, got ${draws}`);
  if (options.plusOne !== undefined && typeof options.plusOne !== 'boolean') throw new Error(`csMultipleTesting: option plusOne must be true or false, got ${String(options.plusOne)}`);
  const outcomes = results.map((r) => r.outcome);
  if (new Set(outcomes).size !== outcomes.length) throw new Error(`csMultipleTesting: duplicated outcome in [${outcomes.join(', ')}]`);
  const types = new Set(results.map((r) => r.result.spec.type));
  if (types.size > 1) throw new Error(`csMultipleTesting: the results mix aggregations (${[...types].join(', ')}); adjust one aggregation at a time`);
  const joint = await jointMultiplierDraws(results.map((r) => r.result), ctx, { seed: options.seed, draws, weights });
  const t1 = performance.now();
  const K = results.length;
  const se: number[] = [];
  const tObs: number[] = [];
  const tStar = new Float64Array(K * draws);
  for (let k = 0; k < K; k++) {
    const col = joint.draws.subarray(k * draws, (k + 1) * draws);
    const s = (quantileType1(col, 0.75) - quantileType1(col, 0.25)) / IQR_Z;
    const att = results[k]!.result.overallAtt;
    if (!(s > 0) || !Number.isFinite(att)) throw new Error(`csMultipleTesting: outcome '${outcomes[k]}' has no usable bootstrap SE or estimate (ATT ${att}, SE ${s}): the overall ATT is degenerate`);
    se.push(s);
    tObs.push(att / s);
    for (let b = 0; b < draws; b++) tStar[k * draws + b] = col[b]! / s;
  }
  const adj = adjustedPValues(tObs, tStar, draws);
  const plusOne = options.plusOne === true;
  const rows = results.map((r, k) =>
    Object.freeze({
      outcome: r.outcome,
      estimate: r.result.overallAtt,
      se: se[k]!,
      statistic: tObs[k]!,
      ...adjustedFields(adj, k, draws, plusOne),
      ...(options.keepDraws ? { tStar: Object.freeze(Array.from(tStar.subarray(k * draws, (k + 1) * draws))) } : {}),
    }),
  );
  return Object.freeze({
    kind: 'cs_multiple_testing',
    spec: Object.freeze({ draws, seed: options.seed, weights, plusOne, aggregation: [...types][0]!, parameter: 'overall ATT' as const }),
    rows: Object.freeze(rows),
    nClusters: joint.nClusters,
    clusteredBy: joint.clusteredBy,
    meta: Object.freeze({ backend: ctx.meta.backend, timings: Object.freeze({ draws_ms: t1 - t0, adjust_ms: performance.now() - t1 }) }),
  });
}

export interface CsEventTimeRow extends AdjustedTestRow {
  readonly eventTime: number;
  /** 'post' (e >= 0) or 'pre' (e < 0): the stepdown runs within each. */
  readonly family: 'post' | 'pre';
}

export interface CsEventTimeMultipleTestingResult {
  readonly kind: 'cs_event_time_multiple_testing';
  readonly spec: Readonly<{ draws: number; seed: number; weights: MultiplierWeights; plusOne: boolean }>;
  readonly rows: readonly CsEventTimeRow[];
  readonly families: readonly Readonly<{ family: 'post' | 'pre'; size: number }>[];
  /** Event times left out: a non-finite estimate, influence value or bootstrap SE (as withMultiplierBootstrap's NaN SEs). */
  readonly skipped: readonly Readonly<{ outcome: string; eventTime: number; reason: string }>[];
  readonly nClusters: number;
  readonly clusteredBy: 'unit' | 'row' | 'cluster';
}

/**
 * Romano–Wolf / Westfall–Young p-values of the dynamic aggregation's ATT(e) of several outcomes: the
 * effects (e >= 0) of all outcomes are one family, the pre-treatment estimates (placebos) another,
 * both from one multiplier bootstrap with a weight per unit (cluster) shared by every outcome and
 * event time. SE per (outcome, e): the bootstrap IQR SE of these draws (with one outcome and the same
 * seed, withMultiplierBootstrap's seEgt). Cost: one kernel call on G x (outcomes x event times).
 */
export async function csEventTimeMultipleTesting(
  results: readonly { readonly outcome: string; readonly result: AggteResult }[],
  ctx: ComputeContext,
  options: Omit<CsMultipleTestingOptions, 'keepDraws'>,
): Promise<CsEventTimeMultipleTestingResult> {
  const draws = options.draws ?? 999;
  const weights = options.weights ?? 'rademacher';
  if (!Number.isInteger(options.seed)) throw new Error(`csEventTimeMultipleTesting: option seed must be an integer, got ${options.seed}`);
  if (!Number.isInteger(draws) || draws < 10) throw new Error(`csEventTimeMultipleTesting: option draws must be an integer >= 10, got ${draws}`);
  const outcomes = results.map((r) => r.outcome);
  if (new Set(outcomes).size !== outcomes.length) throw new Error(`csEventTimeMultipleTesting: duplicated outcome in [${outcomes.join(', ')}]`);
  for (const r of results) if (r.result.spec.type !== 'dynamic') throw new Error(`csEventTimeMultipleTesting: outcome '${r.outcome}' is a '${r.result.spec.type}' aggregation; event times need 'dynamic'`);
  const skipped: { outcome: string; eventTime: number; reason: string }[] = [];
  const items: { outcome: string; eventTime: number; result: AggteResult; column: number }[] = [];
  for (const { outcome, result } of results) {
    const p = payloadOf(result, 'csEventTimeMultipleTesting');
    result.egt.forEach((e, m) => {
      let finite = Number.isFinite(result.attEgt[m]!);
      for (let i = m * result.n, end = (m + 1) * result.n; i < end && finite; i++) finite = Number.isFinite(p.inf[i]!);
      if (finite) items.push({ outcome, eventTime: e, result, column: m });
      else skipped.push({ outcome, eventTime: e, reason: 'non-finite estimate or influence function' });
    });
  }
  if (items.length === 0) throw new Error('csEventTimeMultipleTesting: no event time with a finite estimate');
  const joint = await jointColumnDraws(items, ctx, { seed: options.seed, draws, weights });
  const kept: typeof items = [];
  const se: number[] = [];
  const tStarCols: Float64Array[] = [];
  items.forEach((it, k) => {
    const col = joint.draws.subarray(k * draws, (k + 1) * draws);
    const s = (quantileType1(col, 0.75) - quantileType1(col, 0.25)) / IQR_Z;
    // as withMultiplierBootstrap: an SE at rounding level is no SE
    if (!(s > Math.sqrt(Number.EPSILON) * 10)) {
      skipped.push({ outcome: it.outcome, eventTime: it.eventTime, reason: `bootstrap SE ${s} (degenerate)` });
      return;
    }
    kept.push(it);
    se.push(s);
    tStarCols.push(Float64Array.from(col, (v) => v / s));
  });
  const plusOne = options.plusOne === true;
  const rows: CsEventTimeRow[] = [];
  const families: { family: 'post' | 'pre'; size: number }[] = [];
  for (const family of ['post', 'pre'] as const) {
    const members = kept.flatMap((it, k) => ((it.eventTime >= 0) === (family === 'post') ? [k] : []));
    if (members.length === 0) continue;
    families.push({ family, size: members.length });
    const tObs = members.map((k) => kept[k]!.result.attEgt[kept[k]!.column]! / se[k]!);
    const tStar = new Float64Array(members.length * draws);
    members.forEach((k, j) => tStar.set(tStarCols[k]!, j * draws));
    const adj = adjustedPValues(tObs, tStar, draws);
    members.forEach((k, j) => {
      const it = kept[k]!;
      rows.push(Object.freeze({
        outcome: it.outcome,
        eventTime: it.eventTime,
        family,
        estimate: it.result.attEgt[it.column]!,
        se: se[k]!,
        statistic: tObs[j]!,
        ...adjustedFields(adj, j, draws, plusOne),
      }));
    });
  }
  return Object.freeze({
    kind: 'cs_event_time_multiple_testing',
    spec: Object.freeze({ draws, seed: options.seed, weights, plusOne }),
    rows: Object.freeze(rows),
    families: Object.freeze(families.map((f) => Object.freeze(f))),
    skipped: Object.freeze(skipped.map((x) => Object.freeze(x))),
    nClusters: joint.nClusters,
    clusteredBy: joint.clusteredBy,
  });
}
