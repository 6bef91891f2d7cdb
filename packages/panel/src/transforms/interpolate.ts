import { Table, type Vector } from 'apache-arrow';
import { categoricalVector, numericVector } from '../columns.js';
import { PanelFrame } from '../frame.js';
import { panelIndex } from '../panel-index.js';
import { validatePanel } from '../validate.js';
import { numericColumns, result, type TransformResult } from './result.js';

export interface InterpolateReport {
  /** Rows created for absent interior periods (only with addRows). */
  readonly addedRows: number;
  readonly columns: readonly {
    column: string;
    output: string;
    /** Missing values filled from both neighbours. */
    filled: number;
    /** Missing values left: before a unit's first or after its last observed value (no extrapolation). */
    stillMissing: number;
  }[];
}

/**
 * Linear interpolation of interior missing values within unit, in time: a missing value between
 * two observed values of the same unit gets the straight line between them at its time. Leading and
 * trailing missing values stay missing. With `addRows`, a unit's absent periods between its first and
 * last row (on the time step: the smallest gap between periods) are first added as rows (appended at the end, other columns missing) and then filled.
 * Writes `prefix + name` (prefix '' by default: the column is replaced).
 */
export function interpolateGaps(
  frame: PanelFrame,
  columns: readonly string[],
  options: { prefix?: string; addRows?: boolean } = {},
): TransformResult<InterpolateReport> {
  numericColumns(frame, columns, 'interpolateGaps');
  validatePanel(frame);
  const before = frame.nrows;
  if (options.addRows) frame = withInteriorRows(frame);
  const addedRows = frame.nrows - before;
  const { periods, periodIdx, order, unitStart } = panelIndex(frame);
  const prefix = options.prefix ?? '';
  const out: Record<string, Float64Array> = {};
  const reports: InterpolateReport['columns'][number][] = [];
  for (const name of columns) {
    const x = frame.numeric(name);
    const y = Float64Array.from(x);
    let filled = 0;
    let stillMissing = 0;
    for (let u = 0; u + 1 < unitStart.length; u++) {
      const from = unitStart[u]!;
      const to = unitStart[u + 1]!;
      let prev = -1; // position in order of the last observed value
      for (let j = from; j < to; j++) {
        const row = order[j]!;
        if (x[row] !== x[row]) continue;
        if (prev >= 0 && j - prev > 1) {
          const r0 = order[prev]!;
          const t0 = periods[periodIdx[r0]!]!;
          const slope = (x[row]! - x[r0]!) / (periods[periodIdx[row]!]! - t0);
          for (let g = prev + 1; g < j; g++) {
            const rg = order[g]!;
            y[rg] = x[r0]! + slope * (periods[periodIdx[rg]!]! - t0);
            filled++;
          }
        }
        prev = j;
      }
    }
    for (let i = 0; i < y.length; i++) if (y[i] !== y[i]) stillMissing++;
    out[prefix + name] = y;
    reports.push({ column: name, output: prefix + name, filled, stillMissing });
  }
  return result(frame.withColumns(out), { addedRows, columns: reports });
}

/** The frame plus one row per absent period strictly inside each unit's observed span. */
function withInteriorRows(frame: PanelFrame): PanelFrame {
  const { unitCodes, periodIdx, order, unitStart } = panelIndex(frame);
  const { periods } = panelIndex(frame);
  // Time step as lagLead's: the smallest gap between the panel's periods (1 for annual data).
  let step = Infinity;
  for (let p = 1; p < periods.length; p++) step = Math.min(step, periods[p]! - periods[p - 1]!);
  const newUnit: number[] = [];
  const newTime: number[] = [];
  for (let u = 0; u + 1 < unitStart.length; u++) {
    for (let j = unitStart[u]! + 1; j < unitStart[u + 1]!; j++) {
      const t0 = periods[periodIdx[order[j - 1]!]!]!;
      const t1 = periods[periodIdx[order[j]!]!]!;
      for (let k = 1; t0 + k * step < t1 - 1e-9 * Math.max(1, Math.abs(t1)); k++) {
        newUnit.push(u);
        newTime.push(t0 + k * step);
      }
    }
  }
  if (newUnit.length === 0) return frame;
  const n = frame.nrows;
  const total = n + newUnit.length;
  const { unit, time } = frame.schema;
  const vectors: Record<string, Vector> = {};
  for (const name of frame.columnNames) {
    if (frame.isCategorical(name)) {
      const src = name === unit ? unitCodes : frame.codes(name).codes;
      const codes = new Int32Array(total);
      codes.set(src.subarray(0, n));
      codes.fill(-1, n);
      if (name === unit) for (let k = 0; k < newUnit.length; k++) codes[n + k] = newUnit[k]!;
      vectors[name] = categoricalVector(codes, frame.codes(name).levels);
    } else {
      const values = new Float64Array(total).fill(Number.NaN);
      values.set(frame.numeric(name));
      if (name === time) for (let k = 0; k < newTime.length; k++) values[n + k] = newTime[k]!;
      if (name === unit) {
        const levels = frame.codes(unit).levels;
        for (let k = 0; k < newUnit.length; k++) values[n + k] = Number(levels[newUnit[k]!]);
      }
      vectors[name] = numericVector(values);
    }
  }
  return PanelFrame.fromTable(new Table(vectors), frame.schema);
}
