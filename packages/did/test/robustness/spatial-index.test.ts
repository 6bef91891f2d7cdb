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

describe('ring modes', () => {
  // cities on the equator: 1 degree of longitude = 111.19 km. City 0 treated from t = 2, city 3 from t = 3.
  const lons = [0, 0.5, 1.5, 2.2, 5];
  const rows: Record<string, number>[] = [];
  lons.forEach((lon, i) => {
    for (let t = 1; t <= 3; t++) rows.push({ id: i, t, g: i === 0 ? 2 : i === 3 ? 3 : 0, lat: 0, lon, y: i + t });
  });
  const f = PanelFrame.fromRows(rows, { unit: 'id', time: 't' });
  const base = { treatment: { cohort: 'g' }, lat: 'lat', lon: 'lon' } as const;

  it("'any' (seed) turns on every ring that holds a treated city; 'nearest' only the nearest one's", () => {
    const any = spatialRings(f, base);
    // city 1 (55.6 km from city 0, 189 km from city 3): ring 1 from t = 2, ring 2 from t = 3
    expect(any.firstExposure[1]).toEqual([2, 3, null]);
    // city 2 (166.8 km from city 0, 77.8 km from city 3): ring 2 from 2, ring 1 from 3
    expect(any.firstExposure[2]).toEqual([3, 2, null]);
    const near = spatialRings(f, { ...base, mode: 'nearest' });
    // t = 3: cities 1 and 2 have their nearest treated city within 100 km (ring 1 only); the two treated
    // cities are each other's nearest, 244.6 km apart (ring 3)
    const c3 = near.counts.filter((c) => c.period === 3);
    expect(c3.map((c) => [c.ring, c.exposedUntreated, c.exposedTreated])).toEqual([
      ['ring_0_100', 2, 0],
      ['ring_100_200', 0, 0],
      ['ring_200_300', 0, 2],
    ]);
  });

  it('names bad ring edges and bad coordinates', () => {
    expect(() => spatialRings(f, { ...base, edgesKm: [0, 200, 100] })).toThrow(/edgesKm must be increasing/);
    const bad = PanelFrame.fromRows(rows.map((r) => ({ ...r, lat: 95 })), { unit: 'id', time: 't' });
    expect(() => spatialRings(bad, base)).toThrow(/invalid coordinates \(95, 0\) at row 0/);
  });
});
