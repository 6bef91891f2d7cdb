import type { PanelFrame } from './frame.js';
import { PanelError } from './errors.js';

/**
 * Where each row sits in the panel: unit code, period position on the sorted grid of observed
 * periods, and the rows ordered by (unit, time). Built once per frame and cached.
 */
export interface PanelIndex {
  readonly unitCodes: Int32Array;
  /** Unit labels by code: numbers when the unit column is numeric, strings otherwise. */
  readonly unitLabels: readonly (string | number)[];
  /** Distinct time values, ascending. */
  readonly periods: Float64Array;
  /** Position of each row's time value in `periods`. */
  readonly periodIdx: Int32Array;
  /** Row numbers sorted by unit code, then time. */
  readonly order: Int32Array;
  /** `order.subarray(unitStart[u], unitStart[u + 1])` are unit u's rows in time order. */
  readonly unitStart: Int32Array;
}

const cache = new WeakMap<PanelFrame, PanelIndex>();

/** The panel index of a frame; throws PanelError on missing unit/time values or a categorical time column. */
export function panelIndex(frame: PanelFrame): PanelIndex {
  const hit = cache.get(frame);
  if (hit) return hit;
  const { unit, time } = frame.schema;
  if (frame.isCategorical(time)) {
    throw new PanelError(`time column '${time}' must be numeric (e.g. years), but it holds text`, { column: time });
  }
  const { codes: unitCodes, levels } = frame.codes(unit);
  const missingUnit = unitCodes.indexOf(-1) < 0 ? [] : firstRows(unitCodes.length, (i) => unitCodes[i]! < 0); // indexOf: a native scan, no call per row
  if (missingUnit.length) {
    throw new PanelError(`unit column '${unit}' is missing at row(s) ${missingUnit.map((r) => r + 1).join(', ')}`, {
      column: unit,
      rows: missingUnit,
    });
  }
  const t = frame.numeric(time);
  const missingTime = hasNaN(t) ? firstRows(t.length, (i) => t[i] !== t[i]) : [];
  if (missingTime.length) {
    throw new PanelError(`time column '${time}' is missing at row(s) ${missingTime.map((r) => r + 1).join(', ')}`, {
      column: time,
      rows: missingTime,
    });
  }
  const { codes: periodIdx, levels: periodLevels } = frame.codes(time);
  const periods = Float64Array.from(periodLevels, Number);
  const nUnits = levels.length;
  const nPeriods = periods.length;
  // Counting sort by (unit, period): two stable passes, O(n); a file already in (unit, time) order,
  // the usual layout, is seen in one pass and keeps its row order.
  const order = inPanelOrder(unitCodes, periodIdx)
    ? identityOrder(unitCodes.length)
    : countingOrder(unitCodes, nUnits, countingOrder(periodIdx, nPeriods, null));
  const unitStart = new Int32Array(nUnits + 1);
  for (let i = 0; i < unitCodes.length; i++) unitStart[unitCodes[i]! + 1]!++;
  for (let u = 0; u < nUnits; u++) unitStart[u + 1]! += unitStart[u]!;
  const unitLabels = frame.isCategorical(unit) ? levels : levels.map(Number);
  const index: PanelIndex = { unitCodes, unitLabels, periods, periodIdx, order, unitStart };
  cache.set(frame, index);
  return index;
}

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** Whether rows are sorted by unit code, then period (ties allowed: the stable sort would keep them as they are). */
function inPanelOrder(unitCodes: Int32Array, periodIdx: Int32Array): boolean {
  for (let i = 1; i < unitCodes.length; i++) {
    const du = unitCodes[i]! - unitCodes[i - 1]!;
    if (du < 0 || (du === 0 && periodIdx[i]! < periodIdx[i - 1]!)) return false;
  }
  return true;
}

function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** Stable counting sort of `within` (or 0..n-1) by key. */
function countingOrder(keys: Int32Array, nKeys: number, within: Int32Array | null): Int32Array {
  const n = keys.length;
  const start = new Int32Array(nKeys + 1);
  for (let i = 0; i < n; i++) start[keys[i]! + 1]!++;
  for (let k = 0; k < nKeys; k++) start[k + 1]! += start[k]!;
  const out = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = within ? within[j]! : j;
    out[start[keys[i]!]!++] = i;
  }
  return out;
}

/** Up to five row numbers (0-based) where `bad` holds. */
export function firstRows(n: number, bad: (i: number) => boolean, max = 5): number[] {
  const rows: number[] = [];
  for (let i = 0; i < n && rows.length < max; i++) if (bad(i)) rows.push(i);
  return rows;
}
