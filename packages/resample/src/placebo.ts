import type { ComputeContext, Fallback } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { demean, twoSidedP } from '@panel-lab/regression';
import { prepareTwfe, type TwfePrepared } from './fwl.js';
import { assignmentSpace, type AssignmentSpace, type PlaceboMode } from './placebo-assign.js';
import { mergePlaceboChunks, placeboChunk, type PlaceboChunk, type PlaceboPrepared } from './placebo-chunk.js';
import { finiteValues, mean, quantileSorted, sd, sortedCopy } from './stats.js';
import { TwfeDrawEvaluator, treatmentColumns } from './twfe-draw.js';
import { twfeArrays, type TwfeArrays } from './twfe-input.js';
import { RESAMPLE_VERSION } from './version.js';

export interface PlaceboOptions {
  readonly outcome: string;
  /** Column with each unit's first treated period (0, missing or Infinity = never treated). */
  readonly cohort: string;
  readonly controls?: readonly string[];
  /** Cluster for the per-draw CR1 SEs; default the panel's unit. */
  readonly cluster?: string;
  /** Default 'A_units_true_timing' (METHODS §6). */
  readonly mode?: PlaceboMode;
  /** Default 1000. */
  readonly draws?: number;
  readonly seed: number;
  /** Draw pseudo-treated units only from never-treated ones (modes A and B). Default false. */
  readonly excludeTrueTreated?: boolean;
  /** Per-draw SEs, t and p (default true). */
  readonly se?: boolean;
  /** Draws per chunk (chunk k uses rng stream k). Default 1000. Same seed + chunkSize = same draws. */
  readonly chunkSize?: number;
  readonly compute?: ComputeContext;
  readonly path?: 'auto' | 'tables' | 'kernel';
  readonly maxBatchValues?: number;
}

export interface PlaceboEstimate {
  readonly beta: number;
  readonly se: number;
  readonly t: number;
  readonly p: number;
  readonly df: number;
}

export interface PlaceboSummary {
  /** Draws with a finite coefficient (the others had a pseudo-treatment absorbed by the FE and controls). */
  readonly valid: number;
  readonly degenerate: number;
  readonly mean: number;
  readonly sd: number;
  readonly quantiles: Readonly<Record<'p01' | 'p05' | 'p25' | 'p50' | 'p75' | 'p95' | 'p99', number>>;
  /** Shares of draws with p_b below 0.10 and 0.05 (null without per-draw SEs). */
  readonly shareP10: number | null;
  readonly shareP05: number | null;
  /** (1 + #{|b_k| >= |b|}) / (B + 1), and the one-sided versions. */
  readonly pTwoSided: number;
  readonly pLeft: number;
  readonly pRight: number;
}

export interface PlaceboResult {
  readonly kind: 'placebo';
  readonly spec: Readonly<{
    outcome: string | null;
    cohort: string | null;
    controls: readonly string[];
    cluster: string;
    mode: PlaceboMode;
    draws: number;
    seed: number;
    chunkSize: number;
    excludeTrueTreated: boolean;
    se: boolean;
  }>;
  readonly estimate: PlaceboEstimate;
  readonly draws: Readonly<{
    beta: readonly (number | null)[];
    se: readonly (number | null)[] | null;
    t: readonly (number | null)[] | null;
    p: readonly (number | null)[] | null;
  }>;
  readonly summary: PlaceboSummary;
  readonly sample: Readonly<{
    nobs: number;
    units: number;
    periods: number;
    treatedUnits: number;
    poolUnits: number;
    clusters: number;
    balanced: boolean;
    droppedMissing: number;
    collinearControls: readonly string[];
  }>;
  readonly meta: Readonly<{
    backend: string;
    device: string;
    precision: 32 | 64;
    path: string;
    fallbacks: readonly Fallback[];
    /** The observed estimate and its SE always come from the float64 engine. */
    estimatePrecision: 64;
    /** What computed the per-draw SEs (see ChunkMeta.seKernel). */
    seKernel: string | null;
    seed: number;
    chunks: number;
    versions: Readonly<Record<string, string>>;
    timings: Readonly<Record<string, number>>;
  }>;
}

/** Builds the shared, read-only state of a placebo job from plain arrays. */
export function preparePlacebo(arrays: TwfeArrays, options: { mode?: PlaceboMode; excludeTrueTreated?: boolean } = {}): PlaceboPrepared {
  const twfe = prepareTwfe(arrays);
  return Object.freeze({ twfe, space: assignmentSpace(twfe, options.mode ?? 'A_units_true_timing', options.excludeTrueTreated ?? false) });
}

/** The real TWFE estimate (float64): the same FWL algebra on the true assignment. */
export function observedEstimate(p: TwfePrepared, space: AssignmentSpace): PlaceboEstimate {
  const ev = new TwfeDrawEvaluator(p);
  const m = space.treatedUnits.length;
  let stat;
  if (p.balanced) stat = ev.evaluate(space.treatedUnits, space.treatedStarts, m, true);
  else {
    const d = treatmentColumns(p, [{ units: space.treatedUnits, starts: space.treatedStarts, m }]);
    stat = ev.evaluateDemeaned(demean({ columns: [d], fe: p.fe, structure: p.feStructure }).columns[0]!, true);
  }
  if (!Number.isFinite(stat.beta)) throw new Error('option cohort: the true treatment is collinear with the fixed effects and controls');
  const t = stat.beta / stat.se;
  return Object.freeze({ beta: stat.beta, se: stat.se, t, p: twoSidedP(t, p.tDf), df: p.tDf });
}

/** Placebo / permutation test of a TWFE coefficient by random pseudo-treatments (METHODS §6). */
export async function placeboTest(frame: PanelFrame, options: PlaceboOptions): Promise<PlaceboResult> {
  const t0 = performance.now();
  const arrays = twfeArrays(frame, options);
  return runPlacebo(arrays, options, { outcome: options.outcome, cohort: options.cohort, t0 });
}

/** The same test from plain arrays (the queue/worker entry point). */
export async function runPlacebo(
  arrays: TwfeArrays,
  options: Omit<PlaceboOptions, 'outcome' | 'cohort' | 'controls' | 'cluster'>,
  labels: { outcome?: string; cohort?: string; t0?: number } = {},
): Promise<PlaceboResult> {
  const t0 = labels.t0 ?? performance.now();
  const draws = options.draws ?? 1000;
  const chunkSize = options.chunkSize ?? 1000;
  const mode = options.mode ?? 'A_units_true_timing';
  const withSe = options.se ?? true;
  if (!Number.isInteger(draws) || draws < 1) throw new Error(`option draws must be a positive integer, got ${draws}`);
  const prepared = preparePlacebo(arrays, { mode, excludeTrueTreated: options.excludeTrueTreated ?? false });
  const t1 = performance.now();
  const estimate = observedEstimate(prepared.twfe, prepared.space);
  const chunks: PlaceboChunk[] = [];
  const nChunks = Math.ceil(draws / chunkSize);
  for (let k = 0; k < nChunks; k++) {
    chunks.push(
      await placeboChunk(prepared, {
        seed: options.seed,
        chunkIndex: k,
        chunkSize,
        draws,
        se: withSe,
        ...(options.compute ? { compute: options.compute } : {}),
        ...(options.path ? { path: options.path } : {}),
        ...(options.maxBatchValues ? { maxBatchValues: options.maxBatchValues } : {}),
      }),
    );
  }
  const t2 = performance.now();
  return placeboResult(prepared, estimate, chunks, {
    outcome: labels.outcome ?? null,
    cohort: labels.cohort ?? null,
    mode,
    excludeTrueTreated: options.excludeTrueTreated ?? false,
    timings: { prepare_ms: t1 - t0, draws_ms: t2 - t1 },
  });
}

/** Assembles the result from chunks computed anywhere (see mergePlaceboChunks). */
export function placeboResult(
  prepared: PlaceboPrepared,
  estimate: PlaceboEstimate,
  chunks: readonly PlaceboChunk[],
  info: { outcome: string | null; cohort: string | null; mode: PlaceboMode; excludeTrueTreated: boolean; timings?: Record<string, number> },
): PlaceboResult {
  const t0 = performance.now();
  const merged = mergePlaceboChunks(chunks);
  const p = prepared.twfe;
  const beta = merged.beta;
  const t = merged.se ? beta.map((b, k) => (b === null || merged.se![k] === null ? null : b / merged.se![k]!)) : null;
  const pv = t ? t.map((tk) => (tk === null ? null : twoSidedP(tk, p.tDf))) : null;
  const summary = summarizeDraws(beta, pv, estimate.beta);
  const metas = merged.chunks;
  const kernel = metas.find((m) => m.path === 'kernel');
  const main = kernel ?? metas[0]!;
  const fallbacks = dedupe(metas.flatMap((m) => m.fallbacks));
  const timings = { ...(info.timings ?? {}), chunks_ms: metas.reduce((s, m) => s + m.ms, 0), summary_ms: performance.now() - t0 };
  return Object.freeze({
    kind: 'placebo',
    spec: Object.freeze({
      outcome: info.outcome,
      cohort: info.cohort,
      controls: Object.freeze([...p.controlNames, ...p.collinearControls]),
      cluster: p.clusterName,
      mode: info.mode,
      draws: merged.draws,
      seed: merged.seed,
      chunkSize: merged.chunkSize,
      excludeTrueTreated: info.excludeTrueTreated,
      se: merged.se !== null,
    }),
    estimate,
    draws: Object.freeze({ beta, se: merged.se, t: t ? Object.freeze(t) : null, p: pv ? Object.freeze(pv) : null }),
    summary,
    sample: Object.freeze({
      nobs: p.n,
      units: p.nUnits,
      periods: p.nPeriods,
      treatedUnits: prepared.space.treatedUnits.length,
      poolUnits: prepared.space.pool.length,
      clusters: p.nClusters,
      balanced: p.balanced,
      droppedMissing: p.dropped.missing,
      collinearControls: p.collinearControls,
    }),
    meta: Object.freeze({
      backend: main.backend,
      device: main.device,
      precision: main.precision,
      path: [...new Set(metas.map((m) => m.path))].join('+'),
      fallbacks: Object.freeze(fallbacks),
      estimatePrecision: 64,
      seKernel: main.seKernel,
      seed: merged.seed,
      chunks: metas.length,
      versions: Object.freeze({ '@panel-lab/resample': RESAMPLE_VERSION, node: process.version }),
      timings: Object.freeze(timings),
    }),
  });
}

function dedupe(fallbacks: readonly Fallback[]): Fallback[] {
  const seen = new Set<string>();
  return fallbacks.filter((f) => {
    const key = `${f.from}|${f.kernel ?? ''}|${f.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Summary of a placebo distribution against the observed coefficient (METHODS §6 (c)). */
export function summarizeDraws(beta: readonly (number | null)[], p: readonly (number | null)[] | null, observed: number): PlaceboSummary {
  const values = finiteValues(beta.map((b) => (b === null ? Number.NaN : b)));
  const B = values.length;
  if (B < 2) throw new Error(`only ${B} of ${beta.length} placebo draws are estimable (the others are absorbed by the fixed effects and controls); at least 2 are needed`);
  const sorted = sortedCopy(values);
  let two = 0;
  let left = 0;
  let right = 0;
  // ties within a few ulps of |b| count as "at least as extreme" (the observed draw itself, re-drawn)
  const eps = 1e-12 * Math.max(1, Math.abs(observed));
  for (const b of values) {
    if (Math.abs(b) >= Math.abs(observed) - eps) two++;
    if (b <= observed + eps) left++;
    if (b >= observed - eps) right++;
  }
  const ps = p ? p.filter((v): v is number => v !== null) : null;
  const q = (x: number) => quantileSorted(sorted, x);
  return Object.freeze({
    valid: B,
    degenerate: beta.length - B,
    mean: mean(values),
    sd: sd(values),
    quantiles: Object.freeze({ p01: q(0.01), p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95), p99: q(0.99) }),
    shareP10: ps && ps.length ? ps.filter((v) => v < 0.1).length / ps.length : null,
    shareP05: ps && ps.length ? ps.filter((v) => v < 0.05).length / ps.length : null,
    pTwoSided: (1 + two) / (B + 1),
    pLeft: (1 + left) / (B + 1),
    pRight: (1 + right) / (B + 1),
  });
}
