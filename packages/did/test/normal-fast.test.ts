// The lattice's own normal cdf and quantile (src/pretrends/normal-fast.ts) against @stdlib's.
import { describe, expect, it } from 'vitest';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { stdNormalCdf, stdNormalQuantile } from '../src/pretrends/normal-fast.js';

describe('fast standard normal cdf and quantile', () => {
  it('cdf: absolute error < 3e-16 everywhere, relative < 1e-13 above -3', () => {
    for (let x = -37; x <= 37; x += 0.00731) {
      const ours = stdNormalCdf(x);
      const ref = normalCdf(x, 0, 1);
      expect(Math.abs(ours - ref)).toBeLessThan(3e-16);
      if (x > -3) expect(Math.abs(ours / ref - 1)).toBeLessThan(1e-13);
    }
    expect(stdNormalCdf(-Infinity)).toBe(0);
    expect(stdNormalCdf(Infinity)).toBe(1);
    expect(stdNormalCdf(0)).toBe(0.5);
  });
  it('quantile: float64-accurate for p in (1e-3, 1 - 1e-3), 1e-7 down to 1e-10, finite at the clamp', () => {
    for (let p = 1e-3; p < 1 - 1e-3; p += 0.000377) expect(Math.abs(stdNormalQuantile(p) - normalQuantile(p, 0, 1))).toBeLessThan(1e-13);
    for (const p of [1e-10, 1e-8, 1e-6, 1e-4, 1 - 1e-4, 1 - 1e-6]) expect(Math.abs(stdNormalQuantile(p) - normalQuantile(p, 0, 1))).toBeLessThan(1e-7);
    for (let p = 1e-6; p < 1 - 1e-6; p += 0.0137) expect(stdNormalCdf(stdNormalQuantile(p))).toBeCloseTo(p, 14);
    expect(Number.isFinite(stdNormalQuantile(1e-300))).toBe(true);
    expect(Number.isFinite(stdNormalQuantile(1 - 1e-16))).toBe(true);
  });
});
