import type { PanelFrame } from '../frame.js';
import { PanelError } from '../errors.js';
import { firstRows } from '../panel-index.js';
import { keptRows, numericColumns, result, type TransformResult } from './result.js';

/**
 * What to do with values where log is undefined:
 * - 'drop': log(x); rows with x <= 0 in any listed column are dropped (counted);
 * - 'na': log(x); x <= 0 becomes missing (counted);
 * - 'log1p': log(1 + x) for every value (x <= -1 is an error);
 * - 'asinh': asinh(x) = log(x + sqrt(x^2 + 1)) for every value, defined everywhere.
 */
export type LogPolicy = 'drop' | 'na' | 'log1p' | 'asinh';

export interface LogReport {
  readonly policy: LogPolicy;
  readonly columns: readonly { column: string; output: string; nonPositive: number; missing: number }[];
  /** Rows removed under 'drop' (0 otherwise). */
  readonly droppedRows: number;
}

/** Log-transforms columns into `prefix + name` (prefix 'log_' by default; '' replaces the column). */
export function logTransform(
  frame: PanelFrame,
  columns: readonly string[],
  options: { policy: LogPolicy; prefix?: string },
): TransformResult<LogReport> {
  const { policy } = options;
  if (!['drop', 'na', 'log1p', 'asinh'].includes(policy)) {
    throw new PanelError(`logTransform: option policy must be 'drop', 'na', 'log1p' or 'asinh', got '${String(policy)}'`);
  }
  numericColumns(frame, columns, 'logTransform');
  const prefix = options.prefix ?? 'log_';
  const out: Record<string, Float64Array> = {};
  const keep = new Uint8Array(frame.nrows).fill(1);
  const reports: LogReport['columns'][number][] = [];
  for (const name of columns) {
    const x = frame.numeric(name);
    const y = new Float64Array(x.length);
    let nonPositive = 0;
    let missing = 0;
    if (policy === 'log1p') {
      const bad = firstRows(x.length, (i) => x[i]! <= -1);
      if (bad.length) {
        throw new PanelError(
          `logTransform: column '${name}' has values <= -1 where log1p is undefined, first at row(s) ${bad.map((r) => r + 1).join(', ')}`,
          { column: name, rows: bad },
        );
      }
    }
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v !== v) {
        missing++;
        y[i] = Number.NaN;
        continue;
      }
      if (v <= 0) nonPositive++;
      if (policy === 'log1p') y[i] = Math.log1p(v);
      else if (policy === 'asinh') y[i] = Math.asinh(v);
      else if (v > 0) y[i] = Math.log(v);
      else {
        y[i] = Number.NaN;
        if (policy === 'drop') keep[i] = 0;
      }
    }
    out[prefix + name] = y;
    reports.push({ column: name, output: prefix + name, nonPositive, missing });
  }
  let next = frame.withColumns(out);
  let droppedRows = 0;
  if (policy === 'drop') {
    const idx = keptRows(keep);
    droppedRows = frame.nrows - idx.length;
    if (droppedRows > 0) next = next.takeRows(idx);
  }
  return result(next, { policy, columns: reports, droppedRows });
}
