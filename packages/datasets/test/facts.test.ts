import { describe, expect, it } from 'vitest';
import { defaultPanelCities, haversineKm, loadCityFacts, ringExposureYears } from '../src/index.js';

describe('city facts', () => {
  it('load and validate: 338 units, unique codes, coordinates and a grid region for every non-Tibet unit', () => {
    const all = loadCityFacts();
    expect(all.length).toBe(338);
    expect(new Set(all.map((c) => c.cityCode)).size).toBe(338);
    for (const c of all) {
      expect(Number.isFinite(c.lat) && Number.isFinite(c.lon)).toBe(true);
      if (c.province !== 'Tibet') expect(c.gridRegion).not.toBeNull();
    }
  });

  it('the default panel is the 286 candidates minus Laiwu, with the reconstructed pilot cohorts', () => {
    const cities = defaultPanelCities();
    expect(cities.length).toBe(286);
    expect(cities.some((c) => c.nameEn === 'Laiwu')).toBe(false);
    expect(cities.every((c) => c.gridRegion !== null)).toBe(true);
    expect(cities.filter((c) => c.bigdataYear === 2015).length).toBe(6);
    expect(cities.filter((c) => c.bigdataYear === 2017).length).toBe(26);
    expect(cities.filter((c) => c.bigdataYear > 0).every((c) => c.pilotType !== null)).toBe(true);
    expect(cities.find((c) => c.nameEn === 'Guiyang')!.pilotType).toBe('guizhou');
    expect(cities.find((c) => c.nameEn === 'Shanghai')!.pilotType).toBe('regional_demo');
    expect(cities.filter((c) => c.broadbandYear > 0).length).toBeGreaterThan(100);
  });
});

describe('spatial helpers', () => {
  it('haversine: Beijing-Shanghai is about 1,070 km; a degree of latitude about 111.2 km', () => {
    expect(haversineKm(39.90359, 116.39904, 31.23, 121.47)).toBeGreaterThan(1050);
    expect(haversineKm(39.90359, 116.39904, 31.23, 121.47)).toBeLessThan(1090);
    expect(haversineKm(30, 110, 31, 110)).toBeCloseTo(111.19, 1);
  });

  it('ring exposure takes the earliest treated neighbour per ring and never the city itself', () => {
    // city 0 treated 2017 at the origin; city 1 at ~55 km; city 2 at ~167 km; city 3 at ~445 km; city 4 treated 2015 at ~250 km from 0
    const lat = Float64Array.from([30, 30.5, 31.5, 34, 32.25]);
    const lon = Float64Array.from([110, 110, 110, 110, 110]);
    const treat = Int32Array.from([2017, 0, 0, 0, 2015]);
    const [r1, r2, r3] = ringExposureYears(lat, lon, treat, [100, 200, 300]);
    expect(Array.from(r1!)).toEqual([0, 2017, 2015, 0, 0]);
    expect(Array.from(r2!)).toEqual([0, 2015, 2017, 2015, 0]);
    expect(Array.from(r3!)).toEqual([2015, 0, 0, 0, 2017]);
  });
});
