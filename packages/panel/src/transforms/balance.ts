import type { PanelFrame } from '../frame.js';
import { PanelError } from '../errors.js';
import { panelIndex } from '../panel-index.js';
import { validatePanel } from '../validate.js';
import { keptRows, result, type TransformResult } from './result.js';

export interface BalanceReport {
  readonly keptUnits: number;
  /** Units dropped because they lack a period (or, with `columns`, have a missing value there). */
  readonly droppedUnits: readonly (string | number)[];
  readonly droppedRows: number;
  readonly periods: number;
}

/**
 * Drops every unit that lacks a row for some period of the panel; with `columns`, also units with a
 * missing value in any of those columns (a balanced estimation sample, as plm::make.pbalanced's "shared.individuals").
 */
export function balancePanel(frame: PanelFrame, options: { columns?: readonly string[] } = {}): TransformResult<BalanceReport> {
  validatePanel(frame);
  const { unitCodes, unitLabels, unitStart, periods } = panelIndex(frame);
  const nUnits = unitLabels.length;
  const complete = new Uint8Array(nUnits);
  for (let u = 0; u < nUnits; u++) complete[u] = unitStart[u + 1]! - unitStart[u]! === periods.length ? 1 : 0;
  for (const name of options.columns ?? []) {
    const isMissing = frame.isCategorical(name)
      ? ((codes) => (i: number) => codes[i]! < 0)(frame.codes(name).codes)
      : ((x) => (i: number) => x[i] !== x[i])(frame.numeric(name));
    for (let i = 0; i < frame.nrows; i++) if (isMissing(i)) complete[unitCodes[i]!] = 0;
  }
  const keep = new Uint8Array(frame.nrows);
  for (let i = 0; i < keep.length; i++) keep[i] = complete[unitCodes[i]!]!;
  const idx = keptRows(keep);
  const droppedUnits = unitLabels.filter((_, u) => !complete[u]);
  if (idx.length === 0) throw new PanelError(`balancePanel: every one of the ${nUnits} units has a gap; nothing left`, { column: frame.schema.unit });
  const next = droppedUnits.length ? frame.takeRows(idx) : frame;
  return result(next, { keptUnits: nUnits - droppedUnits.length, droppedUnits, droppedRows: frame.nrows - idx.length, periods: periods.length });
}
