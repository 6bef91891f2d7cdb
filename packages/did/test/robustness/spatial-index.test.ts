import { describe, expect, it } from 'vitest';
import { createRng } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';
import { haversineKm, SphereGrid } from '../../src/robustness/spatial-index.js';
import { spatialRings } from '../../src/robustness/spatial.js';

describe('haversine and the sphere grid index', () => {
  it('haversine: Beijing-Shanghai about 1068 km, symmetric, zero on the diagonal', () => {
    const d = haversineKm(39.9042, 116.4074, 31.2304, 121.4737);
    expect(Math.abs(d - 1067.3)).toBeLessThan(2);
    expect(haversineKm(31.2304, 121.4737, 39.9042, 116.4074)).toBeCloseTo(d, 9);
    expect(haversineKm(10, 20, 10, 20)).toBe(0);
  });

  it('finds exactly the brute-force neighbours within 300 km among 20,000 points', () => {
    const rng = createRng(3);
    const n = 20_000;
    const lat = Float64Array.from({ length: n }, () => 20 + 25 * rng.uniform());
    const lon = Float64Array.from({ length: n }, () => 95 + 30 * rng.uniform());
    const members = Array.from({ length: n }, (_, i) => i).filter((i) => i % 10 === 0);
    const grid = new SphereGrid(lat, lon, members, 300);
    const buf = { j: [] as number[], d: [] as number[] };
    for (const i of [1, 77, 4321, 19_999]) {
      grid.within(i, 300, buf);
      const brute = members.filter((j) => j !== i && haversineKm(lat[i]!, lon[i]!, lat[j]!, lon[j]!) <= 300).sort((a, b) => a - b);
      expect([...buf.j].sort((a, b) => a - b)).toEqual(brute);
    }
  });

  it('spatialRings on 20,000 units x 2 periods uses no n x n matrix (pairs counted only within the outer edge)', () => {
    const rng = createRng(4);
    const n = 20_000;
    const rows: { id: number; t: number; g: number; lat: number; lon: number }[] = [];
    for (let i = 0; i < n; i++) {
      const la = 20 + 25 * rng.uniform();
      const lo = 95 + 30 * rng.uniform();
      const g = rng.uniform() < 0.01 ? 2 : 0;
      rows.push({ id: i, t: 1, g, lat: la, lon: lo }, { id: i, t: 2, g, lat: la, lon: lo });
    }
    const f = PanelFrame.fromRows(rows, { unit: 'id', time: 't' });
    const r = spatialRings(f, { treatment: { cohort: 'g' }, lat: 'lat', lon: 'lon' });
    expect(r.pairsWithinOuterEdge).toBeLessThan(n * 50);
    expect(r.counts.filter((c) => c.period === 1).every((c) => c.exposedTreated + c.exposedUntreated === 0)).toBe(true);
    expect(r.counts.filter((c) => c.period === 2).some((c) => c.exposedUntreated > 0)).toBe(true);
  });
});
