/** Largest |a - b| over the largest |b|: the scaled error the conformance suite uses. */
export function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let k = 0; k < b.length; k++) {
    scale = Math.max(scale, Math.abs(b[k]!));
    const d = Math.abs(a[k]! - b[k]!);
    if (!(d <= worst)) worst = d; // NaN counts as the worst
  }
  return worst / Math.max(scale, 1e-300);
}

/** Root mean square of a - b over the rms of b. */
export function relativeRms(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < b.length; k++) {
    num += (a[k]! - b[k]!) ** 2;
    den += b[k]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-300));
}
