import type { IndicatorMatrix } from './composite-index.js';
import { finishResult, type ResultMethods } from './result.js';

export interface EntropyIndexOptions {
  /** Indicator names for which larger is worse. */
  readonly negative?: readonly string[];
  /**
   * Added to the min–max normalised indicators before the entropies only (default 1e-4, METHODS §17.2).
   * 0 is allowed: q·ln q is taken as 0 at q = 0. The composite never includes it.
   */
  readonly shift?: number;
  /** Year code per row: weights computed year by year (option in §17.2). */
  readonly byPeriod?: Int32Array;
}

export interface EntropyIndexData {
  readonly kind: 'entropy_index';
  readonly n: number;
  readonly indicators: readonly string[];
  /** Pooled weights, or per period when byPeriod was given (period code → weights). */
  readonly weights: readonly number[];
  readonly entropy: readonly number[];
  readonly weightsByPeriod: readonly (readonly number[])[] | null;
  /** Σ_j w_j x'_ij on the min–max normalised indicators in [0, 1], without the shift (the usual definition). */
  readonly index: readonly number[];
  /** The shift used in the entropies (not in the index). */
  readonly shift: number;
}
export type EntropyIndexResult = EntropyIndexData & ResultMethods;

/** METHODS §17.2 entropy-weight method. */
export function entropyIndex(ind: IndicatorMatrix, opts: EntropyIndexOptions = {}): EntropyIndexResult {
  const { n, names } = ind;
  const p = names.length;
  const shift = opts.shift ?? 1e-4;
  if (!(Number.isFinite(shift) && shift >= 0)) throw new Error(`option shift must be a finite number >= 0, got ${shift}`);
  for (const neg of opts.negative ?? []) if (!names.includes(neg)) throw new Error(`option negative: '${neg}' is not an indicator`);
  const normalised = normalise(ind, opts.negative ?? []);
  const weightsFor = (rows: number[], where: string) => entropyWeights(normalised, n, names, rows, shift, where);
  const all = Array.from({ length: n }, (_, i) => i);
  const pooled = weightsFor(all, 'over all rows');
  const index = new Array<number>(n).fill(0);
  let byPeriod: number[][] | null = null;
  if (opts.byPeriod) {
    if (opts.byPeriod.length !== n) throw new Error(`option byPeriod has ${opts.byPeriod.length} codes, expected ${n}`);
    const periods = Math.max(...opts.byPeriod) + 1;
    byPeriod = [];
    for (let t = 0; t < periods; t++) {
      const rows = all.filter((i) => opts.byPeriod![i] === t);
      const w = rows.length ? weightsFor(rows, `in period ${t}`).w : names.map(() => NaN);
      byPeriod.push(w);
      for (const i of rows) for (let j = 0; j < p; j++) index[i] = index[i]! + w[j]! * normalised[j * n + i]!;
    }
  } else {
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) index[i] = index[i]! + pooled.w[j]! * normalised[j * n + i]!;
  }
  return finishResult<EntropyIndexData>({
    kind: 'entropy_index', n, indicators: [...names], weights: pooled.w, entropy: pooled.e, weightsByPeriod: byPeriod, index, shift,
  }, {
    tidy: (r) => r.indicators.map((term, j) => ({ term, weight: r.weights[j]!, entropy: r.entropy[j]! })),
    plotData: (r) => ({ series: [{ name: 'weights', x: r.indicators.map((_, j) => j + 1), estimate: [...r.weights], labels: [...r.indicators] }] }),
  });
}

/** Column-major min–max normalisation to [0, 1]; negative indicators reversed. */
function normalise(ind: IndicatorMatrix, negative: readonly string[]): Float64Array {
  const { n, names, x } = ind;
  const out = new Float64Array(x.length);
  names.forEach((name, j) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = x[j * n + i]!;
      if (!Number.isFinite(v)) throw new Error(`indicator '${name}' row ${i} is missing or not finite`);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(hi > lo)) throw new Error(`indicator '${name}' is constant`);
    const reversed = negative.includes(name);
    for (let i = 0; i < n; i++) {
      const v = x[j * n + i]!;
      out[j * n + i] = (reversed ? hi - v : v - lo) / (hi - lo);
    }
  });
  return out;
}

/** Entropy e_j of each indicator over `rows` (shift added) and the weights (1 − e_j)/Σ(1 − e). */
function entropyWeights(normalised: Float64Array, n: number, names: readonly string[], rows: number[], shift: number, where: string) {
  const e = names.map((name, j) => {
    let s = 0;
    for (const i of rows) s += normalised[j * n + i]! + shift;
    if (!(s > 0)) throw new Error(`indicator '${name}' is 0 on every row ${where} after normalisation; its entropy is undefined with option shift 0`);
    let h = 0;
    for (const i of rows) {
      const q = (normalised[j * n + i]! + shift) / s;
      if (q > 0) h -= q * Math.log(q); // q ln q -> 0 as q -> 0
    }
    return rows.length > 1 ? h / Math.log(rows.length) : 1;
  });
  const d = e.map((v) => 1 - v);
  const ds = d.reduce((a, b) => a + b, 0);
  if (!(ds > 0)) throw new Error(`every indicator is evenly spread ${where} (entropy 1); the entropy weights are undefined`);
  return { e, w: d.map((v) => v / ds) };
}
