import type { Rng } from '@panel-lab/compute';
import type { Codes } from '@panel-lab/panel';
import type { RowEffects } from './truth.js';

/** Per (cohort, year) shift that moves each cohort's mean of x onto the never-treated mean. */
export function cohortRecentring(x: Float64Array, cohort: Int32Array, T: number): (i: number, t: number) => number {
  const groups = [...new Set(cohort)].sort((a, b) => a - b);
  const sums = new Map<number, Float64Array>(groups.map((g) => [g, new Float64Array(T)]));
  const counts = new Map<number, number>();
  for (let i = 0; i < cohort.length; i++) {
    const g = cohort[i]!;
    counts.set(g, (counts.get(g) ?? 0) + 1);
    const s = sums.get(g)!;
    for (let t = 0; t < T; t++) s[t] = s[t]! + x[i * T + t]!;
  }
  const overall = new Float64Array(T);
  for (const g of groups) for (let t = 0; t < T; t++) overall[t] = overall[t]! + sums.get(g)![t]! / cohort.length;
  const reference = counts.has(0) ? Float64Array.from(sums.get(0)!, (v) => v / counts.get(0)!) : overall;
  const shift = new Map<number, Float64Array>(
    groups.map((g) => [g, Float64Array.from(sums.get(g)!, (v, t) => v / counts.get(g)! - reference[t]!)]),
  );
  return (i, t) => shift.get(cohort[i]!)![t]!;
}

export function rowEffectsFrom(x: {
  N: number;
  ownLnInd: Float64Array;
  spillLnInd: Float64Array;
  eIndObserved: Float64Array;
  elecTotal: Float64Array;
  factor: Float64Array;
  total: Float64Array;
}): RowEffects {
  const own = { ln_co2_elec_ind: x.ownLnInd, ln_co2_elec: new Float64Array(x.N), ln_co2_total: new Float64Array(x.N) };
  const all = { ln_co2_elec_ind: new Float64Array(x.N), ln_co2_elec: new Float64Array(x.N), ln_co2_total: new Float64Array(x.N) };
  for (let r = 0; r < x.N; r++) {
    const spill = x.spillLnInd[r]!;
    const observed = x.eIndObserved[r]!;
    // Zero effects stay exactly zero (no rounding noise in pre-periods or for never-treated cities).
    const withSpill = x.ownLnInd[r] === 0 ? observed : observed * Math.exp(-x.ownLnInd[r]!);
    const eInd0 = spill === 0 ? withSpill : withSpill * Math.exp(-spill);
    const rest = x.elecTotal[r]! - observed; // residential + other electricity
    const co2Rest = x.total[r]! - (x.factor[r]! * observed) / 1000; // total CO2 minus industrial electricity CO2
    own.ln_co2_elec[r] = x.ownLnInd[r] === 0 ? 0 : Math.log(observed + rest) - Math.log(withSpill + rest);
    all.ln_co2_elec[r] = Math.log(observed + rest) - Math.log(eInd0 + rest);
    own.ln_co2_total[r] = x.ownLnInd[r] === 0 ? 0 : Math.log(x.total[r]!) - Math.log(co2Rest + (x.factor[r]! * withSpill) / 1000);
    all.ln_co2_total[r] = Math.log(x.total[r]!) - Math.log(co2Rest + (x.factor[r]! * eInd0) / 1000);
    all.ln_co2_elec_ind[r] = x.ownLnInd[r]! + spill;
  }
  return { own, all };
}

/** Super-large / mega from the facts; the rest split by generated 2011 population (top quarter 'large'). */
export function citySizeClasses(fact: readonly string[], lpop0: Float64Array): Codes {
  const rest = Array.from(lpop0).filter((_, i) => fact[i] === '').sort((x, y) => x - y);
  const cut = rest[Math.floor(rest.length * 0.75)] ?? Number.POSITIVE_INFINITY;
  const levels = ['super-large', 'mega', 'large', 'medium-small'];
  const codes = Int32Array.from(fact, (f, i) => (f === 'super-large' ? 0 : f === 'mega' ? 1 : lpop0[i]! >= cut ? 2 : 3));
  return { codes, levels };
}

/** Columns that get interpolation-worthy gaps: yearbook controls no other generated value is computed from. */
export const GAP_COLUMNS = [
  ['library', 'ln_library'],
  ['retail', 'ln_retail'],
  ['human_capital'],
  ['road_density'],
  ['green_patents_pc'],
  ['land_pc'],
] as const;

/** Blanks about 0.5 % of interior cells (never first/last year, never two adjacent years). */
export function addGaps(c: Record<string, Float64Array>, n: number, T: number, rng: Rng): Record<string, number> {
  const counts: Record<string, number> = {};
  if (T < 3) return counts;
  for (const group of GAP_COLUMNS) {
    let count = 0;
    for (let i = 0; i < n; i++) {
      let last = -2;
      for (let t = 1; t < T - 1; t++) {
        if (rng.uniform() < 0.005 && t - last > 1) {
          for (const name of group) c[name]![i * T + t] = Number.NaN;
          last = t;
          count++;
        }
      }
    }
    for (const name of group) counts[name] = count;
  }
  return counts;
}

