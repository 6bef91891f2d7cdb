import { bwNrd0 } from './stats.js';

export interface DensityCurve {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly bandwidth: number;
  readonly kernel: 'gaussian' | 'epanechnikov';
  /** 'exact' sums every kernel; 'binned' spreads the values linearly onto the grid first (as R's density). */
  readonly method: 'exact' | 'binned';
}

export interface DensityOptions {
  readonly kernel?: 'gaussian' | 'epanechnikov';
  /** Default bw.nrd0 (R's default). */
  readonly bandwidth?: number;
  /** Grid points, default 512 (R's n). */
  readonly points?: number;
  /** The grid extends cut bandwidths past the data (R's cut = 3). */
  readonly cut?: number;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
/** Above this many kernel evaluations the values are binned onto the grid first. */
const EXACT_LIMIT = 5_000_000;

/**
 * Kernel density estimate of finite values on an even grid: Gaussian kernel with R's bw.nrd0
 * by default, or Epanechnikov (Stata kdensity's default) with the same standard-deviation bandwidth.
 */
export function kernelDensity(values: Float64Array, options: DensityOptions = {}): DensityCurve {
  const n = values.length;
  const kernel = options.kernel ?? 'gaussian';
  if (kernel !== 'gaussian' && kernel !== 'epanechnikov') throw new Error(`density: option kernel must be gaussian or epanechnikov, got '${String(kernel)}'`);
  const bw = options.bandwidth ?? bwNrd0(values);
  if (!(bw > 0)) throw new Error(`density: option bandwidth must be positive, got ${bw}`);
  const points = options.points ?? 512;
  const cut = options.cut ?? 3;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const from = min - cut * bw;
  const to = max + cut * bw;
  const step = (to - from) / (points - 1);
  const x = Array.from({ length: points }, (_, g) => from + g * step);
  // Epanechnikov with sd = bw has support |u| <= sqrt(5) bw.
  const k =
    kernel === 'gaussian'
      ? (u: number) => Math.exp(-0.5 * u * u) / SQRT_2PI
      : (u: number) => (Math.abs(u) < Math.sqrt(5) ? (0.75 * (1 - (u * u) / 5)) / Math.sqrt(5) : 0);
  const y = new Array<number>(points).fill(0);
  const exact = n * points <= EXACT_LIMIT;
  if (exact) {
    for (let g = 0; g < points; g++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k((x[g]! - values[i]!) / bw);
      y[g] = s / (n * bw);
    }
  } else {
    const mass = new Float64Array(points);
    for (let i = 0; i < n; i++) {
      const pos = (values[i]! - from) / step;
      const lo = Math.min(points - 2, Math.floor(pos));
      const f = pos - lo;
      mass[lo]! += 1 - f;
      mass[lo + 1]! += f;
    }
    for (let g = 0; g < points; g++) {
      let s = 0;
      for (let h = 0; h < points; h++) if (mass[h]! > 0) s += mass[h]! * k((x[g]! - x[h]!) / bw);
      y[g] = s / (n * bw);
    }
  }
  return Object.freeze({ x: Object.freeze(x), y: Object.freeze(y), bandwidth: bw, kernel, method: exact ? 'exact' : 'binned' });
}

export interface HistogramBin {
  readonly x0: number;
  readonly x1: number;
  readonly count: number;
  /** count / (n * width): on the density's scale. */
  readonly density: number;
}

/** Equal-width histogram (Sturges' number of bins unless given). */
export function histogram(values: Float64Array, bins?: number): readonly HistogramBin[] {
  const n = values.length;
  if (n === 0) return Object.freeze([]);
  const nb = bins ?? Math.ceil(Math.log2(n) + 1);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = max > min ? (max - min) / nb : 1;
  const counts = new Array<number>(nb).fill(0);
  for (const v of values) counts[Math.min(nb - 1, Math.floor((v - min) / width))]! += 1;
  return Object.freeze(counts.map((count, b) => Object.freeze({ x0: min + b * width, x1: min + (b + 1) * width, count, density: count / (n * width) })));
}
