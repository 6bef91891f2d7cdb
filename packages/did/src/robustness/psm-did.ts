/**
 * PSM-DID (METHODS §8): propensity-score matching of ever-treated units on covariates, then the
 * TWFE DID on the matched sample with MatchIt's weights (or frequency weights), and unweighted. Designs: 'baseline' (cross-section in the
 * last pre-policy period, matched units kept for the whole panel: recommended), 'pooled' (all
 * unit-periods pooled, matched rows kept) and 'by_period' (a score and a matching per period,
 * union of matched rows).
 */
import type { PanelFrame } from '@panel-lab/panel';
import { twfeDid, type TwfeResult } from '../regression/twfe.js';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, robustMeta, type RobustMeta } from './common.js';
import { balanceTable, type BalanceResult } from './balance.js';
import { matchNearest, type MatchOptions } from './matching.js';
import { propensityScore } from './propensity.js';

export type PsmDesign = 'baseline' | 'pooled' | 'by_period';
export type PsmWeights = 'matchit' | 'frequency';

/** One unit (row) of a matching run: its propensity score, logit and matching weights. */
export interface PsmScoreRow {
  readonly unit: string;
  readonly period: number;
  readonly treated: 0 | 1;
  readonly score: number;
  readonly linear: number;
  readonly frequencyWeight: number;
  readonly matchitWeight: number;
}

export interface PsmPair {
  readonly treatedUnit: string;
  readonly controlUnit: string;
  readonly period: number;
  /** |difference| of the matching distance (score or logit). */
  readonly distance: number;
}

export interface PsmDidOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** Covariates of the propensity score. */
  readonly covariates: readonly string[];
  readonly design?: PsmDesign;
  /** Period of the baseline cross-section (default: the last period before the first adoption). */
  readonly baselinePeriod?: number;
  readonly match?: MatchOptions;
  /**
   * Weights of the DID on the matched sample: 'matchit' (default; MatchIt's `m$weights`, controls'
   * use counts rescaled to sum to the number of distinct matched controls) or 'frequency' (use
   * counts as they are). Identical without replacement; with replacement the point estimate agrees only
   * in a two-period DID without controls (elsewhere the controls' total weight enters the period
   * effects and the control coefficients), and the clustered SE differs. The unweighted DID on the same matched units is reported beside it.
   */
  readonly weights?: PsmWeights;
  /** Denominator of the balance table's standardized differences (see BalanceOptions; default 'pooled'). */
  readonly balanceDenominator?: 'pooled' | 'treated';
  /** Controls of the DID regression on the matched sample. */
  readonly controls?: readonly string[];
  /** Cluster columns of the DID's SEs (default: the unit). Not together with clusterBy 'pair'. */
  readonly cluster?: readonly string[];
  /**
   * 'unit' (default: by the panel unit, or by `cluster`) or 'pair': by matched pair (MatchIt's
   * `subclass`), the cluster-robust SE MatchIt's documentation recommends after 1:1 matching without
   * replacement; needs `match.replace` false (with replacement a reused control belongs to no single pair).
   */
  readonly clusterBy?: PsmClusterBy;
  readonly alpha?: number;
}

export type PsmClusterBy = 'unit' | 'pair';

export interface PsmMatchSummary {
  readonly period: number | null;
  readonly nTreated: number;
  readonly nMatchedTreated: number;
  readonly nDistinctControls: number;
  readonly unmatched: { readonly commonSupport: number; readonly caliper: number; readonly noControlLeft: number };
  readonly separation: string;
  readonly droppedMissing: number;
  /** Every row the score was estimated on, and the matched pairs in matching order. */
  readonly scores: readonly PsmScoreRow[];
  readonly pairs: readonly PsmPair[];
}

export interface PsmDidResult {
  readonly kind: 'psm_did';
  readonly spec: {
    readonly outcome: string;
    readonly treatment: TreatmentSpec;
    readonly covariates: readonly string[];
    readonly design: PsmDesign;
    readonly baselinePeriod: number | null;
    readonly weights: PsmWeights;
    readonly match: MatchOptions;
    readonly clusterBy: PsmClusterBy;
    readonly alpha: number;
  };
  readonly matching: readonly PsmMatchSummary[];
  /** Balance before/after (baseline and pooled designs; null for by_period). */
  readonly balance: BalanceResult | null;
  /** Rows and units kept in the matched sample, and rows left out. */
  readonly rowsMatched: number;
  readonly unitsMatched: number;
  readonly rowsDropped: number;
  /** TWFE on the matched sample weighted by spec.weights. */
  readonly did: TwfeResult;
  /** TWFE on the same matched rows, each counted once. */
  readonly didUnweighted: TwfeResult;
  /** The weighting and inference conventions, in words, for table notes. */
  readonly notes: readonly string[];
  readonly meta: RobustMeta;
}

const WEIGHT_COLUMN = 'psm_weight_';
const PAIR_COLUMN = 'psm_pair_';

export function psmDid(frame: PanelFrame, options: PsmDidOptions): PsmDidResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const design = options.design ?? 'baseline';
  const setup = treatmentSetup(frame, options.treatment);
  const n = setup.nRows;
  const ever = Float64Array.from(setup.rowUnit, (u) => (Number.isFinite(setup.unitCohort[u]!) ? 1 : 0));
  const rowWeight = new Float64Array(n);
  const pairOfRow = new Float64Array(n).fill(-1);
  const weighting = options.weights ?? 'matchit';
  if (weighting !== 'matchit' && weighting !== 'frequency') throw new Error(`psmDid: option weights must be 'matchit' or 'frequency', got '${String(weighting)}'`);
  const summaries: PsmMatchSummary[] = [];
  let balance: BalanceResult | null = null;
  let baselinePeriod: number | null = null;
  const matchOpts = options.match ?? {};
  const clusterBy = options.clusterBy ?? 'unit';
  if (clusterBy !== 'unit' && clusterBy !== 'pair') throw new Error(`psmDid: option clusterBy must be 'unit' or 'pair', got '${String(clusterBy)}'`);
  if (clusterBy === 'pair' && matchOpts.replace) throw new Error("psmDid: clusterBy 'pair' needs matching without replacement (match.replace false): a control matched several times belongs to no single pair");
  if (clusterBy === 'pair' && options.cluster) throw new Error("psmDid: give either option cluster (columns) or clusterBy 'pair', not both");
  // matched pair of each score row (frame row), numbered over all matching runs; -1 when unmatched
  const rowPair = new Map<number, number>();
  let nPairs = 0;

  const run = (rows: number[], period: number | null, withBalance: boolean) => {
    const ps = propensityScore(frame, { treatment: ever, covariates: options.covariates, rows });
    const m = matchNearest(ps, matchOpts);
    const time = frame.numeric(frame.schema.time);
    const unitOf = (r: number) => setup.units[setup.rowUnit[r]!]!;
    const scores = ps.rows.map((r, i) =>
      Object.freeze({ unit: unitOf(r), period: time[r]!, treated: ps.treated[i]!, score: ps.scores[i]!, linear: ps.linear[i]!, frequencyWeight: m.weights[i]!, matchitWeight: m.matchitWeights[i]! }),
    );
    const pairs = m.pairs.map((p) => Object.freeze({ treatedUnit: unitOf(p.treatedRow), controlUnit: unitOf(p.controlRow), period: time[p.treatedRow]!, distance: p.distance }));
    const w = weighting === 'matchit' ? m.matchitWeights : m.weights;
    for (const p of m.pairs) {
      rowPair.set(p.treatedRow, nPairs);
      rowPair.set(p.controlRow, nPairs++);
    }
    summaries.push(
      Object.freeze({
        period,
        nTreated: m.nTreated,
        nMatchedTreated: m.nMatchedTreated,
        nDistinctControls: m.nDistinctControls,
        unmatched: m.unmatched,
        separation: ps.separation.kind,
        droppedMissing: ps.droppedMissing,
        scores: Object.freeze(scores),
        pairs: Object.freeze(pairs),
      }),
    );
    if (withBalance) balance = balanceTable(frame, ps, m, { covariates: options.covariates, ...(options.balanceDenominator ? { denominator: options.balanceDenominator } : {}) });
    return { ps, w };
  };

  if (design === 'baseline') {
    const firstCohort = Math.min(...Array.from(setup.unitCohort).filter(Number.isFinite));
    if (!Number.isFinite(firstCohort)) throw new Error('psmDid: no treated unit');
    baselinePeriod = options.baselinePeriod ?? [...setup.periods].filter((p) => p < firstCohort).pop() ?? Number.NaN;
    if (!setup.periods.includes(baselinePeriod)) throw new Error(`psmDid: baseline period ${baselinePeriod} is not a period of the panel (the first adoption is ${firstCohort})`);
    const rows: number[] = [];
    const time = frame.numeric(frame.schema.time);
    for (let r = 0; r < n; r++) if (time[r] === baselinePeriod) rows.push(r);
    const { ps, w } = run(rows, baselinePeriod, true);
    const unitWeight = new Float64Array(setup.nUnits);
    const unitPair = new Float64Array(setup.nUnits).fill(-1);
    ps.rows.forEach((r, i) => {
      unitWeight[setup.rowUnit[r]!] = w[i]!;
      unitPair[setup.rowUnit[r]!] = rowPair.get(r) ?? -1;
    });
    for (let r = 0; r < n; r++) {
      rowWeight[r] = unitWeight[setup.rowUnit[r]!]!;
      pairOfRow[r] = unitPair[setup.rowUnit[r]!]!;
    }
  } else if (design === 'pooled') {
    const { ps, w } = run(Array.from({ length: n }, (_, r) => r), null, true);
    ps.rows.forEach((r, i) => (rowWeight[r] = w[i]!));
    for (const [r, id] of rowPair) pairOfRow[r] = id;
  } else if (design === 'by_period') {
    const time = frame.numeric(frame.schema.time);
    for (const p of setup.periods) {
      const rows: number[] = [];
      for (let r = 0; r < n; r++) if (time[r] === p) rows.push(r);
      const { ps, w } = run(rows, p, false);
      ps.rows.forEach((r, i) => (rowWeight[r] = w[i]!));
    }
    for (const [r, id] of rowPair) pairOfRow[r] = id;
  } else {
    throw new Error(`psmDid: option design must be 'baseline', 'pooled' or 'by_period', got '${String(design)}'`);
  }

  const keep: number[] = [];
  for (let r = 0; r < n; r++) if (rowWeight[r]! > 0) keep.push(r);
  if (keep.length === 0) throw new Error('psmDid: matching kept no observation');
  const units = new Set(keep.map((r) => setup.rowUnit[r]!));
  // without replacement every kept row has a pair (a kept control was matched; a kept treated unit found one)
  if (clusterBy === 'pair' && keep.some((r) => !(pairOfRow[r]! >= 0))) throw new Error('psmDid: a matched row has no pair (internal error)');
  const sample = frame.withColumns({ [WEIGHT_COLUMN]: rowWeight, [PAIR_COLUMN]: pairOfRow }).takeRows(Int32Array.from(keep));
  const cluster = clusterBy === 'pair' ? [PAIR_COLUMN] : options.cluster;
  const fit = (weighted: boolean) =>
    twfeDid(sample, {
      outcome: options.outcome,
      treatment: options.treatment,
      ...(weighted ? { weights: WEIGHT_COLUMN } : {}),
      alpha,
      ...(options.controls ? { controls: options.controls } : {}),
      ...(cluster ? { cluster } : {}),
    });
  const did = fit(true);
  const didUnweighted = fit(false);
  const clusterWords = clusterBy === 'pair' ? "matched pair (MatchIt's subclass, as its documentation recommends after matching without replacement)" : (options.cluster ?? [frame.schema.unit]).join(' x ');
  const nCl = Object.values(did.fit.nClusters);
  const notes = [
    `DID: TWFE (unit and period fixed effects) on the matched sample, weighted by ${weighting === 'matchit' ? "MatchIt's weights (m$weights)" : 'frequency weights (use counts)'}; the unweighted row counts each matched row once`,
    `SEs clustered by ${clusterWords} (${nCl.join(' x ')} clusters) with fixest's small-sample factor G/(G - 1) (n - 1)/(n - K); p-values and ${100 * (1 - alpha)}% intervals from t(${did.fit.dof.t})`,
  ];
  // MatchIt's vignette: pair-clustered SEs without replacement, robust (HC3) with replacement
  if (matchOpts.replace) notes.push("matching with replacement: MatchIt's documentation recommends robust (HC3) SEs, as a reused control belongs to no single pair; clustering by unit is their panel counterpart");
  else if (clusterBy === 'unit' && !options.cluster) notes.push("MatchIt's documentation recommends clustering by matched pair after matching without replacement (option clusterBy 'pair')");
  return Object.freeze({
    kind: 'psm_did' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, covariates: Object.freeze([...options.covariates]), design, baselinePeriod, weights: weighting, match: Object.freeze({ ...matchOpts }), clusterBy, alpha }),
    matching: Object.freeze(summaries),
    balance,
    rowsMatched: keep.length,
    unitsMatched: units.size,
    rowsDropped: n - keep.length,
    did,
    didUnweighted,
    notes: Object.freeze(notes),
    meta: robustMeta(t0, matchOpts.order === 'random' ? (matchOpts.seed ?? 1) : null),
  });
}
