/** A row of a tidy table: flat, JSON-safe values. */
export type TidyRow = Readonly<Record<string, number | string | boolean | null>>;

export interface PlotSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly estimate: readonly number[];
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
  readonly [extra: string]: unknown;
}

export interface PlotData {
  readonly series: readonly PlotSeries[];
  readonly surfaces?: readonly unknown[];
}

export interface ResultMethods {
  tidy(): TidyRow[];
  plotData(): PlotData;
}

/**
 * Attaches tidy()/plotData() as non-enumerable methods and deep-freezes the data, so the result
 * stays immutable and JSON.stringify sees only data.
 */
export function finishResult<T extends object>(data: T, methods: { tidy: (r: T) => TidyRow[]; plotData: (r: T) => PlotData }): T & ResultMethods {
  Object.defineProperty(data, 'tidy', { value: () => methods.tidy(data), enumerable: false });
  Object.defineProperty(data, 'plotData', { value: () => methods.plotData(data), enumerable: false });
  return deepFreeze(data) as T & ResultMethods;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o) && !ArrayBuffer.isView(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

export const toList = (a: ArrayLike<number>): number[] => Array.from(a);

export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  // R type 7 (linear interpolation), the default of quantile().
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}
