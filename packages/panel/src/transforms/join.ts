import { Table, type Vector } from 'apache-arrow';
import { categoricalVector, numericVector } from '../columns.js';
import { PanelError } from '../errors.js';
import { PanelFrame } from '../frame.js';
import { normalizeTable } from '../normalize.js';
import { panelIndex } from '../panel-index.js';
import { result, type TransformResult } from './result.js';

export interface JoinReport {
  readonly on: string;
  readonly addedColumns: readonly string[];
  /** Panel units with no row in the table: their new columns are missing. */
  readonly unmatchedUnits: readonly (string | number)[];
  readonly unmatchedRows: number;
  /** Table rows whose key is not a unit of the panel (not used). */
  readonly unusedTableRows: number;
}

/**
 * Left-joins a unit-level table (one row per unit, e.g. city attributes) onto every row of its unit.
 * Keys match as text, so a numeric 8001 matches '8001'. A duplicated key or a column name already in
 * the panel is an error; panel units absent from the table are kept with missing values and reported.
 */
export function joinUnitTable(
  frame: PanelFrame,
  table: Table | readonly Record<string, unknown>[],
  options: { on?: string } = {},
): TransformResult<JoinReport> {
  const on = options.on ?? frame.schema.unit;
  const unitTable = toUnitFrame(table, on);
  const keyLabels = unitTable.values(on);
  const rowOfKey = new Map<string, number>();
  for (let r = 0; r < keyLabels.length; r++) {
    const key = keyLabels[r];
    if (key === null || key === undefined || (typeof key === 'number' && Number.isNaN(key))) {
      throw new PanelError(`joinUnitTable: key column '${on}' is missing at table row ${r + 1}`, { column: on, rows: [r] });
    }
    const text = String(key);
    const previous = rowOfKey.get(text);
    if (previous !== undefined) {
      throw new PanelError(`joinUnitTable: unit ${text} appears twice in the table (rows ${previous + 1} and ${r + 1}); a unit table needs one row per unit`, {
        column: on,
        rows: [previous, r],
      });
    }
    rowOfKey.set(text, r);
  }
  const added = unitTable.columnNames.filter((n) => n !== on);
  for (const name of added) {
    if (frame.has(name)) throw new PanelError(`joinUnitTable: column '${name}' is already in the panel; rename it first`, { column: name });
  }
  const { unitCodes, unitLabels } = panelIndex(frame);
  const tableRowOfUnit = Int32Array.from(unitLabels, (label) => rowOfKey.get(String(label)) ?? -1);
  const unmatchedUnits = unitLabels.filter((_, u) => tableRowOfUnit[u]! < 0);
  let unmatchedRows = 0;
  for (let i = 0; i < unitCodes.length; i++) if (tableRowOfUnit[unitCodes[i]!]! < 0) unmatchedRows++;
  const vectors: Record<string, Vector> = {};
  for (const name of frame.columnNames) vectors[name] = frame.table.getChild(name)!;
  for (const name of added) {
    if (unitTable.isCategorical(name)) {
      const { codes, levels } = unitTable.codes(name);
      const out = new Int32Array(frame.nrows);
      for (let i = 0; i < out.length; i++) {
        const r = tableRowOfUnit[unitCodes[i]!]!;
        out[i] = r < 0 ? -1 : codes[r]!;
      }
      vectors[name] = categoricalVector(out, levels);
    } else {
      const x = unitTable.numeric(name);
      const out = new Float64Array(frame.nrows);
      for (let i = 0; i < out.length; i++) {
        const r = tableRowOfUnit[unitCodes[i]!]!;
        out[i] = r < 0 ? Number.NaN : x[r]!;
      }
      vectors[name] = numericVector(out);
    }
  }
  const used = new Set(tableRowOfUnit);
  used.delete(-1);
  const next = PanelFrame.fromTable(new Table(vectors), frame.schema);
  return result(next, { on, addedColumns: added, unmatchedUnits, unmatchedRows, unusedTableRows: keyLabels.length - used.size });
}

/** The unit table as a frame (its key plays both roles; only column access is used). */
function toUnitFrame(table: Table | readonly Record<string, unknown>[], on: string): PanelFrame {
  const schema = { unit: on, time: on };
  if (table instanceof Table) {
    if (table.numRows === 0) throw new PanelError('joinUnitTable: the unit table has no rows');
    return PanelFrame.fromTable(normalizeTable(table), schema);
  }
  return PanelFrame.fromRows(table, schema);
}
