import { Table, type Vector } from 'apache-arrow';
import { numericVector } from './columns.js';
import { PanelError } from './errors.js';
import { PanelFrame } from './frame.js';
import { validatePanel } from './validate.js';

/** Name of the constant period column a cross-section gets, so that it is a one-period panel. */
export const CROSS_SECTION_TIME = '.period';
/** Name of the row-number unit column a cross-section gets when it names no unit column. */
export const CROSS_SECTION_UNIT = '.row';

/**
 * A cross-section (data with no time column) as a one-period panel: a constant period column is
 * added, and a row-number unit column when `unit` is not given. Estimators that need no time
 * dimension (OLS, matching on one cross-section, index construction) run on it unchanged.
 */
export function crossSectionFrame(table: Table, unit?: string): PanelFrame {
  for (const name of [CROSS_SECTION_TIME, CROSS_SECTION_UNIT]) {
    if (table.schema.fields.some((f) => f.name === name)) throw new PanelError(`column '${name}' is reserved for cross-sections; rename it`, { column: name });
  }
  const n = table.numRows;
  const added: Record<string, Vector> = { [CROSS_SECTION_TIME]: numericVector(new Float64Array(n)) };
  if (unit === undefined) added[CROSS_SECTION_UNIT] = numericVector(Float64Array.from({ length: n }, (_, i) => i + 1));
  const frame = PanelFrame.fromTable(table.assign(new Table(added)) as unknown as Table, { unit: unit ?? CROSS_SECTION_UNIT, time: CROSS_SECTION_TIME });
  validatePanel(frame); // one row per unit
  return frame;
}
