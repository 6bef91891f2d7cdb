/**
 * The tolerance ladder (CONVENTIONS.md D.2), in one place: keyed by quantity and precision.
 * Loosening an entry needs a comment naming the cause.
 */
export type Quantity = 'coef' | 'se' | 'residuals' | 'demean';
export type Precision = 'f64-cpu' | 'f64-gpu' | 'f32-gpu';

export const TOLERANCES: Readonly<Record<Quantity, Readonly<Record<Precision, number>>>> = {
  coef: { 'f64-cpu': 1e-8, 'f64-gpu': 1e-8, 'f32-gpu': 5e-6 },
  se: { 'f64-cpu': 1e-7, 'f64-gpu': 1e-6, 'f32-gpu': 1e-5 },
  residuals: { 'f64-cpu': 1e-6, 'f64-gpu': 5e-5, 'f32-gpu': 2e-4 },
  demean: { 'f64-cpu': 1e-6, 'f64-gpu': 1e-6, 'f32-gpu': 1e-3 },
};

export function tolerance(quantity: Quantity, precision: Precision | 32 | 64): number {
  const key: Precision = precision === 64 ? 'f64-cpu' : precision === 32 ? 'f32-gpu' : precision;
  return TOLERANCES[quantity][key];
}

/** Largest relative difference |a-b| / max(|b|, floor) over two arrays of equal length. */
export function maxRelDiff(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-12): number {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    const d = Math.abs(a - b) / Math.max(Math.abs(b), floor);
    if (!(d <= worst)) worst = d; // NaN propagates as the worst case
  }
  return worst;
}

/** Largest absolute difference over two arrays of equal length. */
export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}
