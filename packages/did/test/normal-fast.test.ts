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
  it('quantile: float64-accurate from 1e-300 to 1 - 1e-16', () => {
    for (let p = 1e-3; p < 1 - 1e-3; p += 0.000377) expect(Math.abs(stdNormalQuantile(p) - normalQuantile(p, 0, 1))).toBeLessThan(1e-13);
    for (const p of [1e-10, 1e-8, 1e-6, 1e-4, 1 - 1e-4, 1 - 1e-6]) expect(Math.abs(stdNormalQuantile(p) - normalQuantile(p, 0, 1))).toBeLessThan(1e-7);
    for (let p = 1e-6; p < 1 - 1e-6; p += 0.0137) expect(stdNormalCdf(stdNormalQuantile(p))).toBeCloseTo(p, 14);
    // R 4.2.2 qnorm (Wichura's AS 241 too), printed with 17 digits, down to the lattice's clamp at 1e-300
    const rQnorm: [number, number][] = [[1e-300, -37.047096299361201], [1e-100, -21.273453560965319], [1e-20, -9.2623400897984052], [1e-10, -6.3613409024040557], [0.07, -1.4757910281791702], [0.92, 1.4050715603096327], [1 - 1e-10, 6.3613408896974208], [1 - 1e-16, 8.2095361516013856]];
    for (const [p, want] of rQnorm) expect(Math.abs(stdNormalQuantile(p) / want - 1)).toBeLessThan(1e-15);
  });
});
