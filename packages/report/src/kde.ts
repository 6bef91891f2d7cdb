/** Kernel density helpers matching R's stats::density defaults (Gaussian kernel, bw.nrd0). */

/** R's quantile type 7 on sorted data. */
function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? NaN;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? NaN;
  return a + (h - lo) * (b - a);
}

/** Silverman's rule of thumb exactly as R's bw.nrd0 (incl. its fallbacks for zero spread). */
export function bandwidthNrd0(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) throw new Error(`bandwidthNrd0: need at least 2 values, got ${n}`);
  const sorted = Float64Array.from(values).sort();
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  let lo = Math.min(sd, iqr / 1.34);
  if (!(lo > 0)) lo = sd || Math.abs(sorted[0] ?? 0) || 1;
  return 0.9 * lo * n ** -0.2;
}

export interface DensityCurve {
  readonly x: Float64Array;
  readonly density: Float64Array;
  readonly bandwidth: number;
}

/**
 * Gaussian KDE evaluated on `points` equally spaced points over [min - 3bw, max + 3bw]
 * (R's density() uses cut = 3). Direct O(n * points) sum: draws are at most a few thousand.
 */
export function gaussianKde(values: ArrayLike<number>, opts: { bandwidth?: number; points?: number } = {}): DensityCurve {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) throw new Error(`gaussianKde: value ${i} is not finite (${String(values[i])})`);
  }
  const bw = opts.bandwidth ?? bandwidthNrd0(values);
  if (!(bw > 0)) throw new Error(`gaussianKde: bandwidth must be positive, got ${bw}`);
  const m = opts.points ?? 256;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const from = min - 3 * bw;
  const step = (max + 3 * bw - from) / (m - 1);
  const x = new Float64Array(m);
  const density = new Float64Array(m);
  const norm = 1 / (values.length * bw * Math.sqrt(2 * Math.PI));
  for (let k = 0; k < m; k++) {
    const xk = from + k * step;
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const u = (xk - (values[i] as number)) / bw;
      sum += Math.exp(-0.5 * u * u);
    }
    x[k] = xk;
    density[k] = sum * norm;
  }
  return { x, density, bandwidth: bw };
}

export interface HistogramBin {
  readonly start: number;
  readonly end: number;
  readonly count: number;
  /** count / (n * width): on the same scale as a density curve. */
  readonly density: number;
}

/** Equal-width histogram over [min, max]; bin count by Sturges (R's hist default) unless given. */
export function histogramBins(values: ArrayLike<number>, bins?: number): HistogramBin[] {
  const n = values.length;
  if (n === 0) throw new Error('histogramBins: no values');
  const k = bins ?? Math.max(1, Math.ceil(Math.log2(n) + 1));
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw new Error(`histogramBins: value ${i} is not finite (${String(v)})`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = max > min ? (max - min) / k : 1;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const j = Math.min(k - 1, Math.floor(((values[i] as number) - min) / width));
    counts[j] = (counts[j] ?? 0) + 1;
  }
  return counts.map((count, j) => ({ start: min + j * width, end: min + (j + 1) * width, count, density: count / (n * width) }));
}
