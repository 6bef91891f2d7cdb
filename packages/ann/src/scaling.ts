/** Min–max scaling to [-1, 1] (MATLAB mapminmax), fitted on training rows only (METHODS §18.1). */
export interface MinMaxScaler {
  readonly min: readonly number[];
  readonly max: readonly number[];
}

/** Fits per-column min/max over `rows` of a row-major n×p matrix. */
export function fitMinMax(x: Float64Array, p: number, rows: ArrayLike<number>): MinMaxScaler {
  const min = new Array<number>(p).fill(Infinity);
  const max = new Array<number>(p).fill(-Infinity);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    for (let j = 0; j < p; j++) {
      const v = x[i * p + j]!;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  return Object.freeze({ min, max });
}

/** Maps v to [-1, 1]; a constant column maps to 0. */
export function scaleValue(s: MinMaxScaler, j: number, v: number): number {
  const lo = s.min[j]!;
  const range = s.max[j]! - lo;
  return range > 0 ? (2 * (v - lo)) / range - 1 : 0;
}

export function unscaleValue(s: MinMaxScaler, j: number, v: number): number {
  const lo = s.min[j]!;
  const range = s.max[j]! - lo;
  return range > 0 ? ((v + 1) * range) / 2 + lo : lo;
}

export function scaleRows(s: MinMaxScaler, x: Float64Array, p: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length / p; i++) for (let j = 0; j < p; j++) out[i * p + j] = scaleValue(s, j, x[i * p + j]!);
  return out;
}
