/**
 * Space x time Conley HAC (Conley 1999; the definition of Hsiang 2010's ols_spatial_HAC):
 *
 *   meat = Σ_t Σ_{i,j in period t, d_ij <= cutoff} K(d_ij) s_i s_j'            (space, same period)
 *        + Σ_{i≠j same unit, 1 <= |Δt| <= L} (1 - |Δt| / (L + 1)) s_i s_j'      (time, Bartlett lags)
 *
 * with K and the distance rule of vcov-conley.ts. Δt counts periods in the level order of the time
 * variable (consecutive years: the year gap). L = 0 keeps only the same-period spatial part.
 * Unlike fixest's vcov_conley (a location's periods all fully correlated), correlation across
 * periods is limited to the same unit and decays with the lag.
 *
 * Cost: one grid pair search per period (no n x n matrix) plus O(n L k²) for the serial part.
 */
import { conleySpatialMeat, type ConleySpace } from './vcov-conley.js';
import { sandwich } from './vcov-kernels.js';
import { groupRows } from './row-groups.js';

export function vcovConleySpaceTime(args: ConleySpace & {
  bread: Float64Array;
  scores: readonly Float64Array[];
  /** Unit and period codes on the sample (0-based, period codes in time order). */
  unit: Int32Array;
  time: Int32Array;
  lag: number;
}): Float64Array {
  const { scores, unit, time, lag } = args;
  const k = scores.length;
  if (!(Number.isInteger(lag) && lag >= 0)) throw new Error(`vcov conley: the lag cut-off must be an integer >= 0, got ${lag}`);
  const meat = new Float64Array(k * k);
  // rows grouped by period, then by unit within period order (counting sort)
  const byTime = groupRows(time);
  for (let t = 0; t < byTime.G; t++) {
    const rows = byTime.rows.subarray(byTime.start[t]!, byTime.start[t + 1]!);
    if (rows.length === 0) continue;
    const pick = (col: Float64Array) => Float64Array.from(rows, (r) => col[r]!);
    conleySpatialMeat({ ...args, lat: pick(args.lat), lon: pick(args.lon) }, scores.map(pick), meat);
  }
  if (lag > 0) {
    const byUnit = groupRows(unit);
    for (let u = 0; u < byUnit.G; u++) {
      const rows = Array.from(byUnit.rows.subarray(byUnit.start[u]!, byUnit.start[u + 1]!)).sort((a, b) => time[a]! - time[b]!);
      for (let a = 0; a < rows.length; a++) {
        const i = rows[a]!;
        for (let b = a + 1; b < rows.length; b++) {
          const j = rows[b]!;
          const gap = time[j]! - time[i]!;
          if (gap > lag) break;
          if (gap === 0) throw new Error(`vcov conley: unit code ${u} has two rows in the same period (rows ${i} and ${j}); the space x time estimator needs a panel`);
          const w = 1 - gap / (lag + 1);
          for (let p = 0; p < k; p++) {
            const sip = scores[p]![i]! * w;
            const sjp = scores[p]![j]! * w;
            for (let q = 0; q < k; q++) meat[p * k + q]! += sip * scores[q]![j]! + sjp * scores[q]![i]!;
          }
        }
      }
    }
  }
  return sandwich(args.bread, meat, k);
}
