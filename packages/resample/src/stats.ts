/** Small descriptive statistics over plain arrays (float64), matching R's defaults where named. */

/** Finite values only (NaN marks a degenerate draw; callers count them). */
export function finiteValues(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out.push(values[i]!);
  return Float64Array.from(out);
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length > 0 ? s / values.length : Number.NaN;
}

/** Sample standard deviation (n - 1), two-pass. */
export function sd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** R's quantile(type = 7) of already sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>).sort();
}

/**
 * R's bw.nrd0 (Silverman's rule of thumb): 0.9 min(sd, IQR/1.34) n^-1/5, with R's fallbacks
 * when the spread is zero.
 */
export function bwNrd0(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) throw new Error(`bandwidth needs at least 2 finite values, got ${n}`);
  const sorted = sortedCopy(values);
  const hi = sd(values);
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  let lo = Math.min(hi, iqr / 1.34);
  if (!(lo > 0)) {
    lo = hi;
    if (!(lo > 0)) lo = Math.abs(sorted[0]!);
    if (!(lo > 0)) lo = 1;
  }
  return 0.9 * lo * n ** -0.2;
}

/** R's quantile(type = 1) (inverse empirical CDF) of sorted values: what did's mboot uses. */
export function quantileType1Sorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const np = n * p;
  const j = Math.floor(np + 4 * Number.EPSILON * np); // R's fuzz against representation error
  const idx = np - j > 4 * Number.EPSILON * np ? j + 1 : j;
  return sorted[Math.max(1, Math.min(n, idx)) - 1]!;
}
