import { createRng, permutation, type Rng } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { summarizeDraws, type PlaceboMode, type PlaceboSummary } from '@panel-lab/resample';
import { aggte } from '../cs/aggte.js';
import { attGt, type AttGtOptions } from '../cs/att-gt.js';
import { treatmentSetup } from '../treatment.js';
import { SimpleAttEvaluator } from './cs-simple-att.js';

export interface CsPlaceboOptions extends Omit<AttGtOptions, 'treatment' | 'cluster' | 'alpha'> {
  /** Column with each unit's first treated period (0, missing or Infinity = never treated). */
  readonly cohort: string;
  /** Default 'A_units_true_timing' (METHODS §6). */
  readonly mode?: PlaceboMode;
  /** Default 1000. */
  readonly draws?: number;
  readonly seed: number;
  /** Draws per rng stream (chunk k uses stream k, so chunks can run anywhere and merge). Default 100. */
  readonly chunkSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CsPlaceboResult {
  readonly kind: 'cs_placebo';
  readonly spec: Readonly<{ outcome: string; cohort: string; mode: PlaceboMode; draws: number; seed: number; chunkSize: number; controlGroup: string; estMethod: string }>;
  /** The real simple ATT and its analytic SE. */
  readonly estimate: Readonly<{ att: number; se: number }>;
  /** Simple ATT of each pseudo-treatment (null where no cell could be estimated). */
  readonly draws: readonly (number | null)[];
  readonly summary: PlaceboSummary;
  /** Draws without an estimate: how many, and the first reasons. */
  readonly failures: Readonly<{ count: number; messages: readonly string[] }>;
  /**
   * 'sums': without covariates, each draw from per-cohort outcome sums (no data frame per draw);
   * 'att_gt': a full att_gt per draw (covariates, or draws the sums cannot answer: fullDraws).
   */
  readonly meta: Readonly<{ backend: 'cpu'; precision: 64; seconds: number; path: 'sums' | 'att_gt'; fullDraws: number }>;
}

/**
 * Placebo test for Callaway-Sant'Anna: pseudo-cohorts drawn as in the TWFE placebo (true cohort
 * sizes and years on random units by default), the simple ATT re-estimated for each draw. Without
 * covariates a draw costs O(units × periods) on arrays prepared once (SimpleAttEvaluator); with
 * covariates each draw is a full att_gt on the outcome's columns only.
 */
export function csPlacebo(frame: PanelFrame, options: CsPlaceboOptions): CsPlaceboResult {
  const t0 = performance.now();
  const mode = options.mode ?? 'A_units_true_timing';
  const draws = options.draws ?? 1000;
  const chunkSize = options.chunkSize ?? 100;
  if (!Number.isInteger(draws) || draws < 2) throw new Error(`csPlacebo: option draws must be an integer >= 2, got ${draws}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`csPlacebo: option chunkSize must be a positive integer, got ${chunkSize}`);
  const { cohort, mode: _m, draws: _d, seed, chunkSize: _c, onProgress, ...cs } = options;
  const keep = [frame.schema.unit, frame.schema.time, cs.outcome, cohort, ...(cs.covariates ?? []), ...(cs.weights ? [cs.weights] : [])];
  const slim = frame.withoutColumns(frame.columnNames.filter((c) => !keep.includes(c)));
  const simple = (f: PanelFrame) => aggte(attGt(f, { ...cs, treatment: { cohort } }), { type: 'simple', naRm: true });
  const real = simple(slim);

  const setup = treatmentSetup(slim, { cohort });
  const unitCohort = setup.unitCohort; // Infinity = never
  const treatedUnits = [...unitCohort.keys()].filter((u) => Number.isFinite(unitCohort[u]!));
  const trueYears = treatedUnits.map((u) => unitCohort[u]!);
  const periods = setup.periods;
  const rowUnit = setup.rowUnit;
  const root = createRng(seed);
  const out: (number | null)[] = [];
  const messages: string[] = [];
  let failed = 0;
  let fullDraws = 0;
  const fail = (k: number, reason: string) => {
    failed++;
    if (messages.length < 5) messages.push(`draw ${k}: ${reason}`);
    out.push(null);
  };
  const sums = (cs.covariates ?? []).length === 0
    ? new SimpleAttEvaluator(slim, setup, { outcome: cs.outcome, controlGroup: cs.controlGroup ?? 'nevertreated', estMethod: cs.estMethod ?? 'dr', anticipation: cs.anticipation ?? 0, weights: cs.weights })
    : null;
  const pseudo = new Float64Array(setup.nUnits);
  const column = new Float64Array(slim.nrows);
  const fullAtt = (k: number) => {
    fullDraws++;
    for (let i = 0; i < column.length; i++) column[i] = pseudo[rowUnit[i]!]!;
    try {
      const att = simple(slim.withColumns({ [cohort]: column })).overallAtt;
      if (Number.isFinite(att)) out.push(att);
      else fail(k, 'no ATT(g,t) cell could be estimated');
    } catch (error) {
      fail(k, error instanceof Error ? error.message : String(error));
    }
  };
  for (let chunk = 0; chunk * chunkSize < draws; chunk++) {
    const rng = root.stream(chunk);
    for (let k = chunk * chunkSize; k < Math.min(draws, (chunk + 1) * chunkSize); k++) {
      drawCohorts(rng, mode, pseudo, treatedUnits, trueYears, periods);
      const r = sums?.evaluate(pseudo);
      if (r?.ok) out.push(r.att);
      else if (r && !r.fallback) fail(k, r.reason);
      else fullAtt(k);
      onProgress?.(k + 1, draws);
    }
  }
  return Object.freeze({
    kind: 'cs_placebo' as const,
    spec: Object.freeze({ outcome: cs.outcome, cohort, mode, draws, seed, chunkSize, controlGroup: cs.controlGroup ?? 'nevertreated', estMethod: cs.estMethod ?? 'dr' }),
    estimate: Object.freeze({ att: real.overallAtt, se: real.overallSe }),
    draws: Object.freeze(out),
    summary: summarizeDraws(out, null, real.overallAtt),
    failures: Object.freeze({ count: failed, messages: Object.freeze(messages) }),
    meta: Object.freeze({ backend: 'cpu' as const, precision: 64 as const, seconds: (performance.now() - t0) / 1000, path: sums ? ('sums' as const) : ('att_gt' as const), fullDraws }),
  });
}

/** Fills pseudo[u] with a pseudo first-treatment period (0 = never) for every unit. */
function drawCohorts(rng: Rng, mode: PlaceboMode, pseudo: Float64Array, treatedUnits: number[], trueYears: number[], periods: readonly number[]): void {
  const m = treatedUnits.length;
  const years = Array.from(permutation(rng, m), (j) => trueYears[j]!);
  pseudo.fill(0);
  if (mode === 'C_timing_only') {
    treatedUnits.forEach((u, j) => (pseudo[u] = years[j]!));
    return;
  }
  const units = permutation(rng, pseudo.length).subarray(0, m);
  units.forEach((u, j) => {
    // mode B: a random adoption period with at least one pre-period
    pseudo[u] = mode === 'B_units_random_timing' ? periods[rng.int(1, periods.length - 1)]! : years[j]!;
  });
}
