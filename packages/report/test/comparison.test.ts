import { describe, expect, it } from 'vitest';
import { comparisonTable, seriesFromTidy, summariseComparison, toJson } from '../src/index.js';

describe('comparison with the true effects', () => {
  const rows = [
    { quantity: 'ATT', estimate: -0.05, truth: -0.04, conf_low: -0.07, conf_high: -0.03 },
    { quantity: 'ATT e=0', estimate: -0.01, truth: -0.04, conf_low: -0.02, conf_high: 0 },
    { quantity: 'no CI', estimate: 0.2, truth: 0 },
  ];

  it('counts coverage only over rows with an interval, and the mean absolute bias over all', () => {
    const s = summariseComparison(rows);
    expect(s).toEqual({ rows: 3, withInterval: 2, covered: 1, meanAbsBias: (0.01 + 0.03 + 0.2) / 3 });
  });

  it('tabulates bias, relative bias (none for a zero truth) and coverage', () => {
    const t = comparisonTable(rows, 'vs truth');
    expect(t.rows[0]?.[6]).toBeCloseTo(-0.01, 12);
    expect(t.rows[0]?.[7]).toBeCloseTo(-0.25, 12);
    expect(t.rows[0]?.[8]).toBe('yes');
    expect(t.rows[1]?.[8]).toBe('no');
    expect(t.rows[2]?.[7]).toBeNull();
    expect(t.rows[2]?.[8]).toBe('');
  });

  it('names the row with a non-finite truth', () => {
    expect(() => comparisonTable([{ quantity: 'ATT', estimate: 1, truth: Number.NaN }], 'T')).toThrow(/row 0 \('ATT'\) truth is not finite/);
  });
});

describe('seriesFromTidy', () => {
  it('maps event_time and bands, sorts by event time and counts rows without event time', () => {
    const { series, skipped } = seriesFromTidy('CS', [
      { term: 'e1', estimate: 0.1, event_time: 1, conf_low: 0, conf_high: 0.2, conf_low_simult: -0.1, conf_high_simult: 0.3 },
      { term: 'e-1', estimate: 0, event_time: -1, conf_low: -0.1, conf_high: 0.1 },
      { term: 'overall', estimate: 0.05 },
    ]);
    expect(skipped).toBe(1);
    expect(series.points.map((p) => p.x)).toEqual([-1, 1]);
    expect(series.points[1]).toEqual({ x: 1, estimate: 0.1, lo: 0, hi: 0.2, lo_simult: -0.1, hi_simult: 0.3 });
  });
});

describe('toJson', () => {
  it('writes typed arrays as arrays, non-finite numbers as null, maps as objects', () => {
    const text = toJson({ a: Float64Array.of(1.5, Number.NaN), b: new Map([['k', Number.POSITIVE_INFINITY]]), c: Int32Array.of(3) });
    expect(JSON.parse(text)).toEqual({ a: [1.5, null], b: { k: null }, c: [3] });
  });
});
