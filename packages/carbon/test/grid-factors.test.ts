import { describe, expect, it } from 'vitest';
import { GRID_REGIONS, loadGridFactorTable, resolveGridFactor } from '../src/index.js';

describe('grid factor tables', () => {
  it('default OM series covers 2011-2017 and 2019 for all six grids, with statuses', () => {
    const t = loadGridFactorTable();
    expect(t.entries.length).toBe(6 * 8);
    for (const region of GRID_REGIONS) {
      const years = t.entries.filter((e) => e.region === region).map((e) => e.year);
      expect(years).toEqual([2011, 2012, 2013, 2014, 2015, 2016, 2017, 2019]);
    }
    const east2016 = t.entries.find((e) => e.region === 'East China' && e.year === 2016)!;
    expect(east2016.value).toBe(0.8086);
    expect(east2016.status).toBe('verified');
    expect(t.entries.find((e) => e.region === 'North China' && e.year === 2012)!.status).toBe('recalled_unverified');
    expect(t.entries.find((e) => e.region === 'North China' && e.year === 2019)!.status).toBe('transcribed');
  });

  it('without recalled values only 2016 and 2019 remain', () => {
    const t = loadGridFactorTable({ includeRecalled: false });
    expect(new Set(t.entries.map((e) => e.year))).toEqual(new Set([2016, 2019]));
  });

  it('data_year mode gives the verified single-year OMs 2012-2014; BM exists for 2019 only', () => {
    const d = loadGridFactorTable({ yearMode: 'data_year' });
    expect(new Set(d.entries.map((e) => e.year))).toEqual(new Set([2012, 2013, 2014]));
    expect(d.entries.find((e) => e.region === 'North China' && e.year === 2012)!.value).toBe(1.0583);
    const bm = loadGridFactorTable({ margin: 'BM' });
    expect(bm.entries.map((e) => e.year).every((y) => y === 2019)).toBe(true);
    expect(() => loadGridFactorTable({ margin: 'BM', yearMode: 'data_year' })).toThrow(/data_year/);
  });

  it('missing-year policy: error names region and year; nearest and interpolate are recorded', () => {
    const t = loadGridFactorTable();
    expect(() => resolveGridFactor(t, 'Northwest', 2018)).toThrow(/'Northwest' year 2018/);
    const near = resolveGridFactor(t, 'Northwest', 2018, 'nearest');
    expect(near).toMatchObject({ method: 'nearest', sourceYears: [2017], value: 0.9155 });
    const interp = resolveGridFactor(t, 'Northwest', 2018, 'interpolate');
    // halfway between 2017 (0.9155, recalled) and 2019 (0.8922, transcribed)
    expect(interp.value).toBeCloseTo((0.9155 + 0.8922) / 2, 12);
    expect(interp.sourceYears).toEqual([2017, 2019]);
    expect(interp.status).toBe('recalled_unverified+transcribed');
    // interpolation never extrapolates: beyond the last year it falls back to the nearest year
    expect(resolveGridFactor(t, 'Northwest', 2021, 'interpolate')).toMatchObject({ method: 'nearest', sourceYears: [2019] });
    expect(() => resolveGridFactor(t, 'Tibet', 2016)).toThrow(/grid region 'Tibet'/);
  });
});
