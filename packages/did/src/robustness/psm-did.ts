/**
 * PSM-DID (METHODS §8): propensity-score matching of ever-treated units on covariates, then the
 * TWFE DID on the matched sample with frequency weights. Designs: 'baseline' (cross-section in the
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

export interface PsmDidOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** Covariates of the propensity score. */
  readonly covariates: readonly string[];
  readonly design?: PsmDesign;
  /** Period of the baseline cross-section (default: the last period before the first adoption). */
  readonly baselinePeriod?: number;
  readonly match?: MatchOptions;
  /** Controls of the DID regression on the matched sample. */
  readonly controls?: readonly string[];
  readonly cluster?: readonly string[];
  readonly alpha?: number;
}

export interface PsmMatchSummary {
  readonly period: number | null;
  readonly nTreated: number;
  readonly nMatchedTreated: number;
  readonly nDistinctControls: number;
  readonly unmatched: { readonly commonSupport: number; readonly caliper: number; readonly noControlLeft: number };
  readonly separation: string;
  readonly droppedMissing: number;
}

export interface PsmDidResult {
  readonly kind: 'psm_did';
  readonly spec: { readonly outcome: string; readonly treatment: TreatmentSpec; readonly covariates: readonly string[]; readonly design: PsmDesign; readonly baselinePeriod: number | null; readonly alpha: number };
  readonly matching: readonly PsmMatchSummary[];
  /** Balance before/after (baseline and pooled designs; null for by_period). */
  readonly balance: BalanceResult | null;
  /** Rows and units kept in the matched sample, and rows left out. */
  readonly rowsMatched: number;
  readonly unitsMatched: number;
  readonly rowsDropped: number;
  readonly did: TwfeResult;
  readonly meta: RobustMeta;
}

const WEIGHT_COLUMN = 'psm_weight_';

export function psmDid(frame: PanelFrame, options: PsmDidOptions): PsmDidResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const design = options.design ?? 'baseline';
  const setup = treatmentSetup(frame, options.treatment);
  const n = setup.nRows;
  const ever = Float64Array.from(setup.rowUnit, (u) => (Number.isFinite(setup.unitCohort[u]!) ? 1 : 0));
  const rowWeight = new Float64Array(n);
  const summaries: PsmMatchSummary[] = [];
  let balance: BalanceResult | null = null;
  let baselinePeriod: number | null = null;
  const matchOpts = options.match ?? {};

  const run = (rows: number[], period: number | null, withBalance: boolean) => {
    const ps = propensityScore(frame, { treatment: ever, covariates: options.covariates, rows });
    const m = matchNearest(ps, matchOpts);
    summaries.push(
      Object.freeze({
        period,
        nTreated: m.nTreated,
        nMatchedTreated: m.nMatchedTreated,
        nDistinctControls: m.nDistinctControls,
        unmatched: m.unmatched,
        separation: ps.separation.kind,
        droppedMissing: ps.droppedMissing,
      }),
    );
    if (withBalance) balance = balanceTable(frame, ps, m, { covariates: options.covariates });
    return { ps, m };
  };

  if (design === 'baseline') {
    const firstCohort = Math.min(...Array.from(setup.unitCohort).filter(Number.isFinite));
    if (!Number.isFinite(firstCohort)) throw new Error('psmDid: no treated unit');
    baselinePeriod = options.baselinePeriod ?? [...setup.periods].filter((p) => p < firstCohort).pop() ?? Number.NaN;
    if (!setup.periods.includes(baselinePeriod)) throw new Error(`psmDid: baseline period ${baselinePeriod} is not a period of the panel (the first adoption is ${firstCohort})`);
    const rows: number[] = [];
    const time = frame.numeric(frame.schema.time);
    for (let r = 0; r < n; r++) if (time[r] === baselinePeriod) rows.push(r);
    const { ps, m } = run(rows, baselinePeriod, true);
    const unitWeight = new Float64Array(setup.nUnits);
    ps.rows.forEach((r, i) => (unitWeight[setup.rowUnit[r]!] = m.weights[i]!));
    for (let r = 0; r < n; r++) rowWeight[r] = unitWeight[setup.rowUnit[r]!]!;
  } else if (design === 'pooled') {
    const { ps, m } = run(Array.from({ length: n }, (_, r) => r), null, true);
    ps.rows.forEach((r, i) => (rowWeight[r] = m.weights[i]!));
  } else if (design === 'by_period') {
    const time = frame.numeric(frame.schema.time);
    for (const p of setup.periods) {
      const rows: number[] = [];
      for (let r = 0; r < n; r++) if (time[r] === p) rows.push(r);
      const { ps, m } = run(rows, p, false);
      ps.rows.forEach((r, i) => (rowWeight[r] = m.weights[i]!));
    }
  } else {
    throw new Error(`psmDid: option design must be 'baseline', 'pooled' or 'by_period', got '${String(design)}'`);
  }

  const keep: number[] = [];
  for (let r = 0; r < n; r++) if (rowWeight[r]! > 0) keep.push(r);
  if (keep.length === 0) throw new Error('psmDid: matching kept no observation');
  const units = new Set(keep.map((r) => setup.rowUnit[r]!));
  const sample = frame.withColumns({ [WEIGHT_COLUMN]: rowWeight }).takeRows(Int32Array.from(keep));
  const did = twfeDid(sample, {
    outcome: options.outcome,
    treatment: options.treatment,
    weights: WEIGHT_COLUMN,
    alpha,
    ...(options.controls ? { controls: options.controls } : {}),
    ...(options.cluster ? { cluster: options.cluster } : {}),
  });
  return Object.freeze({
    kind: 'psm_did' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, covariates: Object.freeze([...options.covariates]), design, baselinePeriod, alpha }),
    matching: Object.freeze(summaries),
    balance,
    rowsMatched: keep.length,
    unitsMatched: units.size,
    rowsDropped: n - keep.length,
    did,
    meta: robustMeta(t0, matchOpts.order === 'random' ? (matchOpts.seed ?? 1) : null),
  });
}
