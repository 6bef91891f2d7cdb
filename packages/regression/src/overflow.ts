/**
 * Finite data whose sums of squares overflow float64 (|x| above ~1e154, or weights times squares
 * past ~1.8e308). Such a sum is Infinity or NaN, and every test downstream reads it wrongly: the
 * absorbed test (Inf ≤ Inf) and the Cholesky pivot (Inf - Inf) would drop the regressor as
 * collinear, silently. The fit stops instead with an error naming the variable to rescale.
 */

export interface NamedValues {
  readonly name: string;
  readonly values: Float64Array;
}

/** Largest |value| and its index. */
function largest(values: Float64Array): { value: number; at: number } {
  let best = { value: 0, at: 0 };
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (!(a <= Math.abs(best.value))) best = { value: values[i]!, at: i };
  }
  return best;
}

const rowOf = (at: number, rows: ArrayLike<number> | null | undefined) => (rows ? rows[at]! : at);

/** Names the variable with the largest magnitude (the usual cause: values whose squares overflow float64). */
export function largestValue(vars: readonly NamedValues[], rows: ArrayLike<number> | null | undefined): string {
  let best = { name: '', value: 0, at: 0 };
  for (const v of vars) {
    const b = largest(v.values);
    if (!(Math.abs(b.value) <= Math.abs(best.value))) best = { name: v.name, ...b };
  }
  return `variable '${best.name}' holds ${best.value} at row ${rowOf(best.at, rows)} (0-based): values this large overflow float64 sums of squares; rescale it`;
}

/**
 * Why a sum of squares of `v` (weighted by `w` when given) is not finite: `v`'s own values, or,
 * when their unweighted squares could not overflow, the weights.
 */
export function overflowCause(v: NamedValues, w: Float64Array | undefined, rows: ArrayLike<number> | null | undefined): string {
  const n = v.values.length;
  const own = largest(v.values);
  if (w && own.value * own.value * n < Number.MAX_VALUE / 4) {
    const big = largest(w);
    return `the weights hold ${big.value} at row ${rowOf(big.at, rows)} (0-based): times the squares of '${v.name}' (up to ${Math.abs(own.value)}) they overflow float64 sums; rescale the weights`;
  }
  return largestValue([v], rows);
}
