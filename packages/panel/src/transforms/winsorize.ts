import type { PanelFrame } from '../frame.js';
import { PanelError } from '../errors.js';
import { numericColumns, result, type TransformResult } from './result.js';

export interface WinsorizeReport {
  readonly lower: number;
  readonly upper: number;
  readonly columns: readonly { column: string; output: string; lowerCut: number | null; upperCut: number | null; clippedLow: number; clippedHigh: number }[];
}

/**
 * Clamps each column to its [lower, upper] quantiles (pooled over all rows; R's default type-7
 * quantile, as DescTools::Winsorize). Missing values stay missing. Writes `prefix + name` (default: replace).
 */
export function winsorize(
  frame: PanelFrame,
  columns: readonly string[],
  options: { lower?: number; upper?: number; prefix?: string } = {},
): TransformResult<WinsorizeReport> {
  const lower = options.lower ?? 0.01;
  const upper = options.upper ?? 0.99;
  if (!(lower >= 0 && lower < upper && upper <= 1)) {
    throw new PanelError(`winsorize: options lower/upper must satisfy 0 <= lower < upper <= 1, got ${lower} and ${upper}`);
  }
  numericColumns(frame, columns, 'winsorize');
  const prefix = options.prefix ?? '';
  const out: Record<string, Float64Array> = {};
  const reports: WinsorizeReport['columns'][number][] = [];
  for (const name of columns) {
    const x = frame.numeric(name);
    const sorted = x.filter((v) => v === v).sort();
    if (sorted.length === 0) {
      out[prefix + name] = Float64Array.from(x);
      reports.push({ column: name, output: prefix + name, lowerCut: null, upperCut: null, clippedLow: 0, clippedHigh: 0 });
      continue;
    }
    const lo = quantile7(sorted, lower);
    const hi = quantile7(sorted, upper);
    const y = new Float64Array(x.length);
    let clippedLow = 0;
    let clippedHigh = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v < lo) {
        y[i] = lo;
        clippedLow++;
      } else if (v > hi) {
        y[i] = hi;
        clippedHigh++;
      } else y[i] = v;
    }
    out[prefix + name] = y;
    reports.push({ column: name, output: prefix + name, lowerCut: lo, upperCut: hi, clippedLow, clippedHigh });
  }
  return result(frame.withColumns(out), { lower, upper, columns: reports });
}

/** R's type-7 quantile of ascending values. */
export function quantile7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
