// The block-vectorised lattice integrand (mvn-rectangle.ts) against a plain point-by-point evaluation of the same
// Genz transform on the same seeded lattice, with @stdlib's normal cdf and quantile: equal to rounding, including a
// point count that leaves a partial last block (3000 = 2048 + 952) and a half-infinite rectangle.
import { describe, expect, it } from 'vitest';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { cholesky, mvnRectangle } from '../src/pretrends/mvn-rectangle.js';
import { latticeCoordinate, shiftedLattice } from '../src/pretrends/lattice.js';

function pointByPoint(mean: number[], sigma: number[][], lower: number[], upper: number[], points: number, shifts: number, seed: number) {
  const d = mean.length;
  const L = cholesky(sigma, 'test');
  const lat = shiftedLattice(d, points, shifts, seed);
  let sumF = 0;
  const m = new Array<number>(d).fill(0);
  for (let k = 0; k < shifts; k++) {
    for (let q = 1; q <= points; q++) {
      const y = new Array<number>(d).fill(0);
      let f = 1;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < i; j++) s += L[i]![j]! * y[j]!;
        const lo = lower[i] === -Infinity ? 0 : normalCdf((lower[i]! - mean[i]! - s) / L[i]![i]!, 0, 1);
        const hi = upper[i] === Infinity ? 1 : normalCdf((upper[i]! - mean[i]! - s) / L[i]![i]!, 0, 1);
        f *= hi - lo;
        y[i] = normalQuantile(Math.min(Math.max(lo + latticeCoordinate(lat, k, q, i) * (hi - lo), 1e-300), 1 - 1e-16), 0, 1);
      }
      sumF += f;
      for (let i = 0; i < d; i++) { let x = 0; for (let j = 0; j <= i; j++) x += L[i]![j]! * y[j]!; m[i] = m[i]! + f * x; }
    }
  }
  return { probability: sumF / (points * shifts), truncatedMean: m.map((v, i) => mean[i]! + v / sumF) };
}

describe('block-vectorised lattice integrand', () => {
  const sigma = [[1, 0.5, 0.25, 0.1], [0.5, 1.2, 0.4, 0.2], [0.25, 0.4, 0.9, 0.3], [0.1, 0.2, 0.3, 1.1]];
  const mean = [0.1, -0.2, 0.3, 0];
  it.each([
    ['bounded, partial last block', [-1.96, -1.5, -2, -1], [1.96, 1.5, 2, 2.5]],
    ['half-infinite', [-Infinity, -1.5, -2, -Infinity], [1.96, Infinity, 2, 2.5]],
  ])('equals the point-by-point evaluation (%s)', (_, lower, upper) => {
    const ours = mvnRectangle(mean, sigma, lower, upper, { points: 3000, shifts: 3, seed: 11 });
    const ref = pointByPoint(mean, sigma, lower, upper, 3000, 3, 11);
    expect(Math.abs(ours.probability - ref.probability)).toBeLessThan(1e-12);
    ours.truncatedMean!.forEach((v, i) => expect(Math.abs(v - ref.truncatedMean[i]!)).toBeLessThan(1e-11));
  });
});
