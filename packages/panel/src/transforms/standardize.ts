import type { PanelFrame } from '../frame.js';
import { PanelError } from '../errors.js';
import { numericColumns, result, type TransformResult } from './result.js';

export interface StandardizeReport {
  readonly columns: readonly { column: string; output: string; mean: number; sd: number; n: number }[];
}

/**
 * z = (x - mean) / sd over the non-missing values (sample sd, n - 1, as R's scale()).
 * Writes `prefix + name` ('z_' by default; '' replaces the column). A constant column is an error.
 */
export function standardize(
  frame: PanelFrame,
  columns: readonly string[],
  options: { prefix?: string } = {},
): TransformResult<StandardizeReport> {
  numericColumns(frame, columns, 'standardize');
  const prefix = options.prefix ?? 'z_';
  const out: Record<string, Float64Array> = {};
  const reports: StandardizeReport['columns'][number][] = [];
  for (const name of columns) {
    const x = frame.numeric(name);
    let n = 0;
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v !== v) continue;
      n++;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
    }
    const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN;
    if (!(sd > 0) || !Number.isFinite(sd)) {
      throw new PanelError(`standardize: column '${name}' has ${n} non-missing value(s) and sd ${sd}; cannot standardize`, { column: name });
    }
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = (x[i]! - mean) / sd;
    out[prefix + name] = y;
    reports.push({ column: name, output: prefix + name, mean, sd, n });
  }
  return result(frame.withColumns(out), { columns: reports });
}
