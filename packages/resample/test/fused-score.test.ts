import { describe, expect, it } from 'vitest';
import { createRng } from '@panel-lab/compute';
import { fusedScoreGeneric, fusedScoreKernel } from '../src/fused-score.js';

describe('generated SE kernel', () => {
  for (const K of [0, 3, 10, 70]) {
    it(`K = ${K}: the unrolled kernel equals the plain loop`, () => {
      const rng = createRng(K + 1);
      const N = 20;
      const T = 5;
      const n = N * T;
      const unit = Int32Array.from({ length: n }, (_, i) => Math.floor(i / T));
      const time = Int32Array.from({ length: n }, (_, i) => i % T);
      const cluster = Int32Array.from(unit, (u) => u % 4);
      const startOf = Int32Array.from({ length: N }, (_, u) => (u < 5 ? 2 : 2 ** 30));
      const dbarU = Float64Array.from(startOf, (s) => (s < T ? (T - s) / T : 0));
      const shift = Float64Array.from({ length: T }, () => rng.normal());
      const zRows = Float64Array.from({ length: n * K }, () => rng.normal());
      const gamma = Float64Array.from({ length: K }, () => rng.normal());
      const ey = Float64Array.from({ length: n }, () => rng.normal());
      const a = new Float64Array(4);
      const b = new Float64Array(4);
      fusedScoreKernel(K)(n, unit, time, cluster, startOf, dbarU, shift, zRows, gamma, ey, 0.7, a);
      fusedScoreGeneric(K)(n, unit, time, cluster, startOf, dbarU, shift, zRows, gamma, ey, 0.7, b);
      for (let c = 0; c < 4; c++) expect(Math.abs(a[c]! - b[c]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(b[c]!)));
      expect(a.some((v) => v !== 0)).toBe(true);
    });
  }
});
