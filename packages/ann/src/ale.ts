/**
 * Per-member mean prediction over `rows` with the focal input set to `value` (OverrideEvaluator.meanOver
 * in the net-effect procedure; any function works, which is how the algorithm is tested exactly).
 */
export type MeanAt = (rows: Int32Array, value: number) => Float64Array;

export interface AleCurves {
  /** K × B: ALE of each member at each grid point, centred to mean 0 over the rows. */
  readonly curves: Float64Array[];
  /** Rows in each of the K − 1 intervals (z_{k−1}, z_k]; rows outside the grid join the end intervals. */
  readonly intervalCounts: number[];
}

/**
 * Accumulated local effects (Apley & Zhu 2020), first order, on a given grid z_0 < … < z_{K−1}:
 * each row falls in one interval; the interval's local effect is the mean over its rows of
 * f(z_k, x_−j) − f(z_{k−1}, x_−j); effects accumulate from z_0 and the curve is centred so that its
 * row-weighted mean (midpoint rule per interval, as ALEPlot) is 0. An empty interval adds 0 (flat).
 */
export function accumulatedLocalEffects(focalValues: ArrayLike<number>, grid: readonly number[], members: number, meanAt: MeanAt): AleCurves {
  const K = grid.length;
  if (K < 2) throw new Error('ALE needs at least 2 grid points');
  for (let k = 1; k < K; k++) if (!(grid[k]! > grid[k - 1]!)) throw new Error(`ALE grid must increase strictly (point ${k})`);
  const members2 = new Array<number[]>(K - 1);
  for (let k = 0; k < K - 1; k++) members2[k] = [];
  for (let i = 0; i < focalValues.length; i++) {
    const v = focalValues[i]!;
    if (Number.isNaN(v)) throw new Error(`ALE: focal value missing in row ${i}`);
    // interval k+1 covers (z_k, z_{k+1}]; values at or below z_0 join the first, above z_{K−1} the last
    let k = 0;
    while (k < K - 2 && v > grid[k + 1]!) k++;
    members2[k]!.push(i);
  }
  const curves = Array.from({ length: K }, () => new Float64Array(members));
  const counts = members2.map((r) => r.length);
  for (let k = 1; k < K; k++) {
    const rows = Int32Array.from(members2[k - 1]!);
    const prev = curves[k - 1]!;
    const cur = curves[k]!;
    if (rows.length === 0) { cur.set(prev); continue; }
    const hi = meanAt(rows, grid[k]!);
    const lo = meanAt(rows, grid[k - 1]!);
    for (let b = 0; b < members; b++) cur[b] = prev[b]! + hi[b]! - lo[b]!;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  for (let b = 0; b < members; b++) {
    let c = 0;
    for (let k = 1; k < K; k++) c += (counts[k - 1]! * (curves[k - 1]![b]! + curves[k]![b]!)) / 2;
    c /= total;
    for (let k = 0; k < K; k++) curves[k]![b] = curves[k]![b]! - c;
  }
  return { curves, intervalCounts: counts };
}
