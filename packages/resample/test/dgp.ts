import { createRng } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';

export interface DgpOptions {
  units?: number;
  periods?: number;
  controls?: number;
  /** True effect on treated rows (0 = the null). */
  effect?: number;
  /** Share of units treated (split over 2 cohorts). */
  treatedShare?: number;
  /** Clusters above the unit (units split evenly); default: none (cluster = unit). */
  zones?: number;
  /** Drop this share of rows at random (unbalanced panel). */
  dropShare?: number;
  seed?: number;
}

/** A staggered-adoption panel: y = effect D + X b + unit FE + year FE + noise (plus a zone shock). */
export function makePanel(o: DgpOptions = {}): PanelFrame {
  const N = o.units ?? 60;
  const T = o.periods ?? 8;
  const K = o.controls ?? 3;
  const rng = createRng(o.seed ?? 1);
  const first = 2011;
  const nTreated = Math.max(2, Math.round(N * (o.treatedShare ?? 0.2)));
  const cohortOf = (u: number) => (u < nTreated / 2 ? first + 3 : u < nTreated ? first + 5 : 0);
  const zones = o.zones ?? 0;
  const zoneOf = (u: number) => (zones > 0 ? u % zones : u);
  const zoneShock = Array.from({ length: Math.max(zones, 1) * T }, () => rng.normal());
  const unitFe = Array.from({ length: N }, () => rng.normal());
  const yearFe = Array.from({ length: T }, () => rng.normal());
  const rows: Record<string, number | string>[] = [];
  for (let u = 0; u < N; u++) {
    for (let t = 0; t < T; t++) {
      if (o.dropShare && rng.uniform() < o.dropShare) continue;
      const year = first + t;
      const g = cohortOf(u);
      const d = g > 0 && year >= g ? 1 : 0;
      const row: Record<string, number | string> = { city: `c${String(u).padStart(4, '0')}`, year, cohort: g, zone: `z${zoneOf(u)}` };
      let y = (o.effect ?? 0) * d + unitFe[u]! + yearFe[t]! + rng.normal() * 0.5;
      if (zones > 0) y += zoneShock[zoneOf(u) * T + t]! * 0.3;
      for (let k = 0; k < K; k++) {
        const x = rng.normal() + 0.3 * unitFe[u]! + 0.1 * t;
        row[`x${k + 1}`] = x;
        y += 0.2 * (k + 1) * x;
      }
      row.y = y;
      row.treat = d;
      rows.push(row);
    }
  }
  return PanelFrame.fromRows(rows, { unit: 'city', time: 'year' });
}

/** The frame with a 0/1 treatment column built from a unit -> start-period map (period index). */
export function withTreatment(frame: PanelFrame, periods: readonly number[], unitLabels: readonly string[], units: Int32Array, starts: Int32Array, name = 'dp'): PanelFrame {
  const startYear = new Map<string, number>();
  units.forEach((u, j) => startYear.set(unitLabels[u]!, starts[j]! < periods.length ? periods[starts[j]!]! : Number.POSITIVE_INFINITY));
  const city = frame.values('city');
  const year = frame.numeric('year');
  const d = new Float64Array(frame.nrows);
  for (let r = 0; r < frame.nrows; r++) {
    const g = startYear.get(String(city[r]));
    d[r] = g !== undefined && year[r]! >= g ? 1 : 0;
  }
  return frame.withColumns({ [name]: d });
}
