import { describe, expect, it } from 'vitest';
import { loadGolden, maxAbsDiff, maxRelDiff, readGoldenData, tolerance } from '../src/index.js';

describe('tolerance ladder', () => {
  it('maps precisions to the ladder', () => {
    expect(tolerance('coef', 64)).toBe(1e-8);
    expect(tolerance('coef', 32)).toBe(5e-6);
    expect(tolerance('se', 'f64-gpu')).toBe(1e-6);
  });

  it('measures differences and treats NaN as the worst case', () => {
    expect(maxAbsDiff([1, 2], [1, 2.5])).toBeCloseTo(0.5);
    expect(maxRelDiff([1, 2], [1, 4])).toBeCloseTo(0.5);
    expect(maxRelDiff([Number.NaN], [1])).toBeNaN();
    expect(() => maxAbsDiff([1], [1, 2])).toThrow(/length/);
  });

  it('loads goldens with their provenance', () => {
    const golden = loadGolden<{ meta: unknown }>('fixest_mpdta');
    expect(golden.meta).toBeDefined();
  });

  it('reads golden data stored plain or gzipped, and names a missing file', () => {
    expect(readGoldenData('mpdta.csv').split('\n')[0]).toContain('countyreal');
    const dfHet = readGoldenData('df_het.csv').trim().split('\n');
    expect(dfHet).toHaveLength(46_501);
    expect(() => readGoldenData('nope.csv')).toThrow(/nope\.csv/);
  });
});
