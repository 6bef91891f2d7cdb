import type { PanelFrame } from '../frame.js';
import { PanelError } from '../errors.js';
import { panelIndex } from '../panel-index.js';
import { validatePanel } from '../validate.js';
import { numericColumns, result, type TransformResult } from './result.js';

export interface LagLeadReport {
  readonly column: string;
  readonly output: string;
  /** Positive: lag (value k steps earlier); negative: lead. */
  readonly k: number;
  readonly step: number;
  /** Rows whose source period is absent for their unit (or whose source value is missing). */
  readonly missing: number;
}

/**
 * Lag (k > 0) or lead (k < 0) of a column within unit, by time value as fixest's l()/f(): row at time t
 * gets the same unit's value at t - k * step, or NA when the unit has no row there (gaps are not skipped).
 * `step` defaults to the smallest difference between the panel's periods (1 for annual data).
 */
export function lagLead(
  frame: PanelFrame,
  column: string,
  k: number,
  options: { name?: string; step?: number } = {},
): TransformResult<LagLeadReport> {
  if (!Number.isInteger(k) || k === 0) throw new PanelError(`lagLead: k must be a non-zero integer, got ${k}`);
  numericColumns(frame, [column], 'lagLead');
  validatePanel(frame);
  const { periods, periodIdx, order, unitStart } = panelIndex(frame);
  const step = options.step ?? smallestStep(periods);
  if (!(step > 0)) throw new PanelError(`lagLead: option step must be positive, got ${step}`);
  const name = options.name ?? (k > 0 ? `${column}_lag${k}` : `${column}_lead${-k}`);
  const x = frame.numeric(column);
  const y = new Float64Array(x.length).fill(Number.NaN);
  const shift = k * step;
  for (let u = 0; u + 1 < unitStart.length; u++) {
    const from = unitStart[u]!;
    const to = unitStart[u + 1]!;
    for (let j = from; j < to; j++) {
      const row = order[j]!;
      const target = periods[periodIdx[row]!]! - shift;
      const source = findTime(order, periodIdx, periods, from, to, target);
      if (source >= 0) y[row] = x[source]!;
    }
  }
  let missing = 0;
  for (let i = 0; i < y.length; i++) if (y[i] !== y[i]) missing++;
  return result(frame.withColumns({ [name]: y }), { column, output: name, k, step, missing });
}

/** Row of the unit segment [from, to) (time-sorted) whose time equals target, or -1. */
function findTime(order: Int32Array, periodIdx: Int32Array, periods: Float64Array, from: number, to: number, target: number): number {
  let lo = from;
  let hi = to - 1;
  const tol = 1e-9 * Math.max(1, Math.abs(target));
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = periods[periodIdx[order[mid]!]!]!;
    if (Math.abs(t - target) <= tol) return order[mid]!;
    if (t < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function smallestStep(periods: Float64Array): number {
  let step = Infinity;
  for (let p = 1; p < periods.length; p++) step = Math.min(step, periods[p]! - periods[p - 1]!);
  return Number.isFinite(step) ? step : 1;
}
