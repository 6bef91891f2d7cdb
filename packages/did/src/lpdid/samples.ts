import type { TreatmentSetup } from '../treatment.js';

/** One LP-DiD regression sample: rows of the frame, their long difference and their treatment switch. */
export interface LpDidSample {
  readonly rows: Int32Array;
  readonly dy: Float64Array;
  readonly switched: Float64Array;
}

/** Which long difference and which clean-control rule a regression uses. */
export interface SampleRule {
  /** Periods (index offsets from t) whose mean outcome minus y_{t-1} is the dependent variable. */
  readonly leads: readonly number[];
  /** Controls must be untreated at t + controlLead (0 for pre-periods, h after, post with nocomp). */
  readonly controlLead: number;
}

/**
 * Per-row lookup of the outcome at another period index of the same unit (NaN where the unit has
 * no row there), so every horizon's long difference is an O(rows) pass.
 */
export function outcomeGrid(setup: TreatmentSetup, y: Float64Array): Float64Array {
  const nP = setup.periods.length;
  const grid = new Float64Array(setup.nUnits * nP).fill(Number.NaN);
  for (let r = 0; r < setup.nRows; r++) grid[setup.rowUnit[r]! * nP + setup.rowPeriod[r]!] = y[r]!;
  return grid;
}

/**
 * The clean sample of Dube, Girardi, Jorda & Taylor (2023): newly treated rows (treated at t, not at
 * t-1) and clean controls (not yet treated at t + controlLead), with the long difference observed.
 * Rows already treated at t-1 never enter. Periods are the sorted distinct values of the time column.
 */
export function cleanSample(setup: TreatmentSetup, grid: Float64Array, rule: SampleRule): LpDidSample {
  const { periods } = setup;
  const nP = periods.length;
  const rows: number[] = [];
  const dys: number[] = [];
  const sw: number[] = [];
  for (let r = 0; r < setup.nRows; r++) {
    const p = setup.rowPeriod[r]!;
    if (p < 1) continue;
    const g = setup.unitCohort[setup.rowUnit[r]!]!;
    const newlyTreated = g <= periods[p]! && g > periods[p - 1]!;
    let keep = newlyTreated;
    if (!keep) {
      const pc = p + rule.controlLead;
      keep = pc < nP && g > periods[pc]!;
    }
    if (!keep) continue;
    const base = setup.rowUnit[r]! * nP;
    const yLag = grid[base + p - 1]!;
    let sum = 0;
    for (const lead of rule.leads) {
      const q = p + lead;
      sum += q >= 0 && q < nP ? grid[base + q]! : Number.NaN;
    }
    const dy = sum / rule.leads.length - yLag;
    if (!Number.isFinite(dy)) continue;
    rows.push(r);
    dys.push(dy);
    sw.push(newlyTreated ? 1 : 0);
  }
  return { rows: Int32Array.from(rows), dy: Float64Array.from(dys), switched: Float64Array.from(sw) };
}

/**
 * Weights that undo OLS's variance weighting across periods so each newly treated row counts
 * equally (the paper's reweighted LP-DiD): every row of period t gets N_t / N_control,t. A period
 * with no clean control identifies nothing; its rows are removed (counted in `dropped`).
 */
export function equalAttWeights(setup: TreatmentSetup, sample: LpDidSample): { sample: LpDidSample; weights: Float64Array; dropped: number } {
  const nP = setup.periods.length;
  const total = new Float64Array(nP);
  const controls = new Float64Array(nP);
  for (let k = 0; k < sample.rows.length; k++) {
    const p = setup.rowPeriod[sample.rows[k]!]!;
    total[p] = total[p]! + 1;
    if (sample.switched[k] === 0) controls[p] = controls[p]! + 1;
  }
  const keep: number[] = [];
  for (let k = 0; k < sample.rows.length; k++) if (controls[setup.rowPeriod[sample.rows[k]!]!]! > 0) keep.push(k);
  const weights = new Float64Array(keep.length);
  keep.forEach((k, i) => {
    const p = setup.rowPeriod[sample.rows[k]!]!;
    weights[i] = total[p]! / controls[p]!;
  });
  return {
    sample: {
      rows: Int32Array.from(keep, (k) => sample.rows[k]!),
      dy: Float64Array.from(keep, (k) => sample.dy[k]!),
      switched: Float64Array.from(keep, (k) => sample.switched[k]!),
    },
    weights,
    dropped: sample.rows.length - keep.length,
  };
}
