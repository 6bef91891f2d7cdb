import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { ringColumns, spatialDid } from '../../src/robustness/spatial.js';
import { readCsv } from './data.js';

// Golden: goldens/results/spatial_butts_cities.json. The rings are built in plain R from the
// definition (nearest already-treated unit at t, haversine R = 6371 km, off for treated rows), the
// estimates and SEs are did2s 1.2.1 with treatment = treated or exposed (city ids as text), and the same
// influence function written densely in base R (script results/spatial_butts_cities.R). With numeric city
// codes did2s's variance design has an empty column for city 500000 ('city_code::5e+05'), so those SEs
// (recorded as did2s_numeric_codes) are off by up to ~4e-4 relative; see the JSON's meta.
interface Spec {
  edges_km: number[];
  controls: string[];
  term: string[];
  estimate: number[];
  std_error: number[];
  vcov: number[][];
  nobs: number;
  formula_dense: { estimate: number[]; std_error: number[]; vcov: number[][] };
  did2s_numeric_codes: { estimate: number[]; std_error: number[]; empty_first_stage_columns: string[] };
  counts: { ring: string; year: number[]; exposed_untreated: number[]; exposed_treated: number[] }[];
  n_treated: number;
  n_exposed_untreated: number;
  n_clean: number;
  ring_rows: { ring: string; city_code: number[]; year: number[] }[];
}
const golden = loadGolden<{ specs: Spec[] }>('spatial_butts_cities');
const frame = readCsv('cities_panel.csv', 'city_code', 'year');

describe.each(golden.specs.map((s) => [s.edges_km.join(', '), s] as const))("mode 'butts' on cities_panel, rings (km) %s, vs plain R + did2s 1.2.1", (_edges, g) => {
  const opts = { treatment: { cohort: 'g' }, lat: 'lat', lon: 'lon', edgesKm: g.edges_km, mode: 'butts' as const };

  it('the same rows in every ring, and the same counts per ring and year', () => {
    const cols = ringColumns(frame, opts);
    expect(Object.keys(cols)).toEqual(g.ring_rows.map((r) => r.ring));
    const city = frame.numeric('city_code');
    const year = frame.numeric('year');
    for (const rr of g.ring_rows) {
      const ours: string[] = [];
      cols[rr.ring]!.forEach((v, r) => { if (v === 1) ours.push(`${city[r]}@${year[r]}`); });
      expect(ours.sort(), rr.ring).toEqual(rr.city_code.map((c, k) => `${c}@${rr.year[k]}`).sort());
    }
    const r = spatialDid(frame, { ...opts, outcome: 'y', controls: g.controls });
    for (const c of g.counts) {
      const mine = r.rings.counts.filter((x) => x.ring === c.ring);
      expect(mine.map((x) => x.period)).toEqual(c.year);
      expect(mine.map((x) => x.exposedUntreated), c.ring).toEqual(c.exposed_untreated);
      expect(mine.map((x) => x.exposedTreated), c.ring).toEqual(c.exposed_treated);
    }
    expect(r.counts).toEqual({ treated: g.n_treated, exposedUntreated: g.n_exposed_untreated, clean: g.n_clean });
  });

  it('coefficients, clustered SEs and vcov (did2s and the dense formula) to 1e-10 relative', () => {
    const r = spatialDid(frame, { ...opts, outcome: 'y', controls: g.controls });
    expect(r.coefs.map((c) => c.term)).toEqual(['treat', ...g.term.slice(1)]);
    expect(r.nobs).toBe(g.nobs);
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    const f = g.formula_dense;
    r.coefs.forEach((c, k) => {
      expect(rel(c.estimate, g.estimate[k]!), c.term).toBeLessThan(1e-10);
      expect(rel(c.estimate, f.estimate[k]!), c.term).toBeLessThan(1e-10);
      expect(rel(c.se, f.std_error[k]!), c.term).toBeLessThan(1e-10);
      expect(rel(c.se, g.std_error[k]!), c.term).toBeLessThan(1e-10);
      // numeric city codes: did2s's restricted variance design (one empty city column) moves its SEs slightly
      expect(rel(c.estimate, g.did2s_numeric_codes.estimate[k]!), c.term).toBeLessThan(1e-10);
      expect(rel(c.se, g.did2s_numeric_codes.std_error[k]!), c.term).toBeLessThan(1e-3);
    });
    expect(g.did2s_numeric_codes.empty_first_stage_columns).toEqual(['city_code::5e+05']);
    for (const v of [f.vcov, g.vcov]) {
      const scale = Math.max(...v.flat().map(Math.abs));
      r.vcov.forEach((row, a) => row.forEach((x, b) => expect(Math.abs(x - v[a]![b]!) / scale).toBeLessThan(1e-10)));
    }
    expect(r.notes.join(' ')).toMatch(/GMM-corrected variance clustered by city_code \(287 clusters\)/);
  });
});
