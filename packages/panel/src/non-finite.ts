import type { PanelFrame } from './frame.js';
import { PanelError } from './errors.js';
import type { NonFinitePolicy } from './read-options.js';

/** How many offending rows an error message lists. */
const ROWS_IN_MESSAGE = 5;

export interface NonFiniteColumn {
  readonly column: string;
  readonly count: number;
  /** First rows (0-based) holding +-Infinity. */
  readonly rows: readonly number[];
}

/**
 * Numeric buffers a streaming reader already looked at while copying them and found free of +-Infinity:
 * checkNonFinite skips them instead of scanning the column again. Keyed by the buffer object, so a
 * column that was copied or replaced since is scanned as before.
 */
const knownFinite = new WeakSet<Float64Array>();

/** Records that `values` holds no +-Infinity (the caller has looked at every value). */
export function noteFinite(values: Float64Array): void {
  knownFinite.add(values);
}

/**
 * Finds +-Infinity in the numeric columns of a frame read from a file (NaN is the missing value, so
 * it is not counted). With the policy 'error' (default) the first such column is reported with its
 * count and first rows; with 'missing' every infinite value becomes NaN in place (the frame's numeric
 * columns are its own buffers) and the columns changed are returned for the caller to report.
 */
export function checkNonFinite(frame: PanelFrame, policy: NonFinitePolicy = 'error'): NonFiniteColumn[] {
  const found: NonFiniteColumn[] = [];
  for (const column of frame.columnNames) {
    if (frame.isCategorical(column)) continue;
    const values = frame.numeric(column);
    if (knownFinite.has(values)) continue;
    let count = 0;
    const rows: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      // v - v is NaN for +-Infinity and for NaN; NaN (missing) is excluded by the second test
      if (v - v !== 0 && v === v) {
        count++;
        if (rows.length < ROWS_IN_MESSAGE) rows.push(i);
        if (policy === 'missing') values[i] = Number.NaN;
      }
    }
    if (count === 0) continue;
    if (policy === 'error') {
      throw new PanelError(
        `column '${column}' has ${count} infinite value(s) (e.g. 'Inf' or a number too large for float64 such as 1e400), ` +
          `first at row(s) ${rows.map((r) => r + 1).join(', ')} (rows count data lines from 1); fix them, or read them as missing values (nonFinite: 'missing')`,
        { column, rows },
      );
    }
    found.push({ column, count, rows });
  }
  return found;
}
