import type { PanelFrame } from '../frame.js';
import { PanelError } from '../errors.js';
import { panelIndex } from '../panel-index.js';
import { keptRows, result, type TransformResult } from './result.js';

export interface FilterUnitsReport {
  readonly keptUnits: number;
  readonly droppedUnits: number;
  readonly droppedRows: number;
  /** Requested units that the panel does not have (matched as text, so 8001 and '8001' are the same unit). */
  readonly notFound: readonly (string | number)[];
}

/** Keeps the listed units (or, with exclude, all others). */
export function filterUnits(
  frame: PanelFrame,
  units: readonly (string | number)[],
  options: { exclude?: boolean } = {},
): TransformResult<FilterUnitsReport> {
  const { unitCodes, unitLabels } = panelIndex(frame);
  const byLabel = new Map(unitLabels.map((label, code) => [String(label), code]));
  const chosen = new Uint8Array(unitLabels.length);
  const notFound: (string | number)[] = [];
  for (const u of units) {
    const code = byLabel.get(String(u));
    if (code === undefined) notFound.push(u);
    else chosen[code] = 1;
  }
  const want = options.exclude ? 0 : 1;
  const keep = new Uint8Array(frame.nrows);
  for (let i = 0; i < keep.length; i++) keep[i] = chosen[unitCodes[i]!] === want ? 1 : 0;
  let keptUnits = 0;
  for (let c = 0; c < chosen.length; c++) if (chosen[c] === want) keptUnits++;
  const idx = keptRows(keep);
  if (idx.length === 0) throw new PanelError(`filterUnits: no rows left (kept 0 of ${unitLabels.length} units)`, { column: frame.schema.unit });
  return result(frame.takeRows(idx), {
    keptUnits,
    droppedUnits: unitLabels.length - keptUnits,
    droppedRows: frame.nrows - idx.length,
    notFound,
  });
}

export interface FilterPeriodsReport {
  readonly keptPeriods: readonly number[];
  readonly droppedRows: number;
}

/** Keeps rows whose time lies in [from, to] (either bound optional) and, if given, in `periods`. */
export function filterPeriods(
  frame: PanelFrame,
  options: { from?: number; to?: number; periods?: readonly number[] },
): TransformResult<FilterPeriodsReport> {
  const { from = -Infinity, to = Infinity, periods: only } = options;
  if (from > to) throw new PanelError(`filterPeriods: option from (${from}) is after to (${to})`);
  const { periods, periodIdx } = panelIndex(frame);
  const wanted = only ? new Set(only) : null;
  const keepPeriod = Array.from(periods, (t) => t >= from && t <= to && (!wanted || wanted.has(t)));
  const keep = new Uint8Array(frame.nrows);
  for (let i = 0; i < keep.length; i++) keep[i] = keepPeriod[periodIdx[i]!] ? 1 : 0;
  const idx = keptRows(keep);
  if (idx.length === 0) {
    throw new PanelError(`filterPeriods: no rows left; the panel's periods run ${periods[0]} to ${periods[periods.length - 1]}`, {
      column: frame.schema.time,
    });
  }
  return result(frame.takeRows(idx), {
    keptPeriods: Array.from(periods).filter((_, p) => keepPeriod[p]),
    droppedRows: frame.nrows - idx.length,
  });
}
