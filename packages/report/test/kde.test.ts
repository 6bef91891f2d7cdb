import { describe, expect, it } from 'vitest';
import { bandwidthNrd0, gaussianKde, histogramBins } from '../src/index.js';

describe('bandwidthNrd0 (R bw.nrd0)', () => {
  it('uses min(sd, IQR/1.34) when the IQR is the smaller spread', () => {
    // x = 1,2,3,4,10: sd = sqrt(12.5), IQR (type 7) = 4 - 2 = 2 -> 0.9 * (2/1.34) * 5^-0.2
    expect(bandwidthNrd0([1, 2, 3, 4, 10])).toBeCloseTo(0.9 * (2 / 1.34) * 5 ** -0.2, 12);
  });

  it('uses the sd when it is smaller than IQR/1.34', () => {
    // x = 0, 0, 10, 10: sd = sqrt(100/3) ~ 5.77, IQR = 10 -> 7.46
    expect(bandwidthNrd0([0, 0, 10, 10])).toBeCloseTo(0.9 * Math.sqrt(100 / 3) * 4 ** -0.2, 12);
  });

  it('falls back to the sd when the IQR is zero, as R does', () => {
    const x = [1, 1, 1, 1, 1, 5];
    const mean = 10 / 6;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / 5);
    expect(bandwidthNrd0(x)).toBeCloseTo(0.9 * sd * 6 ** -0.2, 12);
  });

  it('rejects fewer than two values', () => {
    expect(() => bandwidthNrd0([1])).toThrow(/at least 2/);
  });
});

describe('gaussianKde', () => {
  const values = [-1.2, -0.4, 0, 0.1, 0.5, 0.9, 1.7, 2.2];
  const kde = gaussianKde(values, { points: 512 });

  it('integrates to one over its cut = 3 bandwidth range', () => {
    let area = 0;
    for (let k = 1; k < kde.x.length; k++) {
      area += (((kde.density[k] ?? 0) + (kde.density[k - 1] ?? 0)) / 2) * ((kde.x[k] ?? 0) - (kde.x[k - 1] ?? 0));
    }
    expect(area).toBeGreaterThan(0.995);
    expect(area).toBeLessThan(1.0001);
  });

  it('equals the direct kernel sum at a grid point', () => {
    const k = 200;
    const x = kde.x[k] ?? NaN;
    const direct = values.reduce((s, v) => s + Math.exp(-0.5 * ((x - v) / kde.bandwidth) ** 2), 0) / (values.length * kde.bandwidth * Math.sqrt(2 * Math.PI));
    expect(kde.density[k]).toBeCloseTo(direct, 14);
  });

  it('names the first non-finite value', () => {
    expect(() => gaussianKde([1, 2, Number.NaN])).toThrow(/value 2 is not finite/);
  });
});

describe('histogramBins', () => {
  it('counts every value once and densities integrate to one', () => {
    const values = Array.from({ length: 100 }, (_, i) => Math.sin(i) * 3);
    const bins = histogramBins(values);
    expect(bins.length).toBe(Math.ceil(Math.log2(100) + 1)); // Sturges, as R's hist
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(100);
    expect(bins.reduce((s, b) => s + b.density * (b.end - b.start), 0)).toBeCloseTo(1, 12);
  });
});
