import { describe, expect, it } from 'vitest';
import { createRng, mat, matFromRows, multiplierWeights } from '@panel-lab/compute';
import { crossProdImpl, demeanImpl, gatherImpl, gatherSumImpl, multiplierBootstrapImpl, segmentSumImpl } from '../src/index.js';

function panel(units: number, periods: number) {
  const n = units * periods;
  const u = Int32Array.from({ length: n }, (_, i) => Math.floor(i / periods));
  const t = Int32Array.from({ length: n }, (_, i) => i % periods);
  const rng = createRng(1);
  const x = mat(n, 2, Float64Array.from({ length: 2 * n }, () => rng.normal()));
  return { u, t, x };
}

describe('demeanImpl', () => {
  it('balanced closed form equals alternating projections (forced by a third, constant FE)', () => {
    const { u, t, x } = panel(6, 4);
    const closed = demeanImpl({ x, feCodes: [u, t] }, { tol: 1e-12, maxIter: 1000 });
    const ap = demeanImpl({ x, feCodes: [u, t, new Int32Array(24)] }, { tol: 1e-13, maxIter: 1000 });
    expect(closed.method).toBe('balanced-closed-form');
    expect(ap.method).toBe('alternating-projections');
    closed.x.data.forEach((v, k) => expect(v).toBeCloseTo(ap.x.data[k]!, 11));
  });

  it('leaves columns with zero mean in every unit and every period (unbalanced)', () => {
    const { u, t, x } = panel(6, 4);
    const keep = [0, 1, 2, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 17, 18, 19, 20, 22, 23];
    const sub = mat(keep.length, 1, Float64Array.from(keep, (i) => x.data[i]!));
    const out = demeanImpl(
      { x: sub, feCodes: [Int32Array.from(keep, (i) => u[i]!), Int32Array.from(keep, (i) => t[i]!)] },
      { tol: 1e-12, maxIter: 10_000 },
    );
    expect(out.converged).toBe(true);
    expect(out.iterations).toBeGreaterThan(1);
    for (const codes of [u, t]) {
      const sums = new Map<number, number>();
      keep.forEach((i, r) => sums.set(codes[i]!, (sums.get(codes[i]!) ?? 0) + out.x.data[r]!));
      for (const s of sums.values()) expect(Math.abs(s)).toBeLessThan(1e-10);
    }
  });

  it('reports non-convergence when maxIter is too small', () => {
    const { u, t, x } = panel(6, 4);
    const out = demeanImpl(
      { x: mat(23, 1, x.data.slice(0, 23)), feCodes: [u.slice(0, 23), t.slice(0, 23)] },
      { tol: 1e-14, maxIter: 1 },
    );
    expect(out.converged).toBe(false);
    expect(out.iterations).toBe(1);
  });
});

describe('linear algebra kernels', () => {
  it("crossProdImpl computes a'b and a symmetric a'a", () => {
    const a = matFromRows([[1, 2], [3, 4], [5, 6]]);
    const b = matFromRows([[1], [0], [2]]);
    expect(Array.from(crossProdImpl({ a, b }).data)).toEqual([11, 14]);
    expect(Array.from(crossProdImpl({ a }).data)).toEqual([35, 44, 44, 56]);
  });

  it('segmentSumImpl sums rows by segment, leaving empty segments at 0', () => {
    const x = matFromRows([[1, 10], [2, 20], [4, 40]]);
    const s = segmentSumImpl({ x, segments: new Int32Array([2, 0, 2]), nSegments: 3 });
    expect(Array.from(s.data)).toEqual([2, 0, 5, 20, 0, 50]);
  });

  it('gatherImpl picks rows with repeats', () => {
    const x = matFromRows([[1, 10], [2, 20], [3, 30]]);
    expect(Array.from(gatherImpl({ x, index: new Int32Array([2, 2, 0]) }).data)).toEqual([3, 3, 1, 30, 30, 10]);
  });
});

describe('multiplierBootstrapImpl', () => {
  it('equals (1/n) V\'S with the seeded weights and is reproducible', () => {
    const inf = matFromRows([[1, 2], [3, -1], [-2, 0.5], [0.5, 1]]);
    const clusterCodes = new Int32Array([0, 1, 1, 0]);
    const attrs = { draws: 5, seed: 9, weights: 'mammen' as const };
    const out = multiplierBootstrapImpl({ inf, clusterCodes }, attrs);
    const v = multiplierWeights({ seed: 9, draws: 5, clusters: 2, kind: 'mammen' });
    const s = [[1.5, 3], [1, -0.5]]; // cluster sums: rows 0+3, rows 1+2
    for (let b = 0; b < 5; b++) {
      for (let k = 0; k < 2; k++) {
        const want = (v.data[b * 2]! * s[0]![k]! + v.data[b * 2 + 1]! * s[1]![k]!) / 4;
        expect(out.data[k * 5 + b]).toBeCloseTo(want, 14);
      }
    }
    expect(multiplierBootstrapImpl({ inf, clusterCodes }, attrs).data).toEqual(out.data);
  });

  it('bootstrap SE matches the analytic cluster SE within Monte-Carlo error', () => {
    const rng = createRng(4);
    const n = 200;
    const inf = mat(n, 1, Float64Array.from({ length: n }, () => rng.normal()));
    const draws = 4000;
    const out = multiplierBootstrapImpl({ inf }, { draws, seed: 1, weights: 'rademacher' });
    let ss = 0;
    for (const v of inf.data) ss += v * v;
    const analytic = Math.sqrt(ss) / n;
    let m2 = 0;
    for (const v of out.data) m2 += v * v;
    const boot = Math.sqrt(m2 / draws);
    // sd of a variance estimate from B draws ~ sqrt(2/B) relative; 5 of them on the SE scale
    expect(Math.abs(boot / analytic - 1)).toBeLessThan(5 * Math.sqrt(2 / draws) / 2);
  });
});

describe('demeanImpl acceleration', () => {
  it('Irons-Tuck reaches the same transform as plain alternating projections in fewer sweeps', () => {
    // A slowly mixing design: units observed mostly in one half of the periods.
    const rng = createRng(21);
    const units = 60;
    const periods = 30;
    const rowsU: number[] = [];
    const rowsT: number[] = [];
    for (let i = 0; i < units; i++) {
      for (let t = 0; t < periods; t++) {
        const early = i < units / 2;
        const keep = early ? t < periods / 2 || rng.uniform() < 0.05 : t >= periods / 2 || rng.uniform() < 0.05;
        if (keep) {
          rowsU.push(i);
          rowsT.push(t);
        }
      }
    }
    const n = rowsU.length;
    const x = mat(n, 2, Float64Array.from({ length: 2 * n }, () => rng.normal()));
    const fe = [Int32Array.from(rowsU), Int32Array.from(rowsT)];
    const plain = demeanImpl({ x, feCodes: fe }, { tol: 1e-10, maxIter: 100_000, accel: 'none' });
    const it = demeanImpl({ x, feCodes: fe }, { tol: 1e-10, maxIter: 100_000 });
    expect(plain.converged && it.converged).toBe(true);
    expect(it.iterations).toBeLessThan(plain.iterations);
    let worst = 0;
    it.x.data.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - plain.x.data[k]!))));
    expect(worst).toBeLessThan(1e-7);
  });
});

describe('multiplierBootstrapImpl split across workers', () => {
  it('draws [0, 50) and [50, 100) computed apart stack to the single run of 100', () => {
    const rng = createRng(8);
    const inf = mat(30, 2, Float64Array.from({ length: 60 }, () => rng.normal()));
    const base = { seed: 3, weights: 'webb' as const, chunkSize: 25 };
    const whole = multiplierBootstrapImpl({ inf }, { ...base, draws: 100 });
    const first = multiplierBootstrapImpl({ inf }, { ...base, draws: 50 });
    const second = multiplierBootstrapImpl({ inf }, { ...base, draws: 50, firstDraw: 50 });
    for (let k = 0; k < 2; k++) {
      expect(Array.from(whole.data.subarray(k * 100, k * 100 + 50))).toEqual(Array.from(first.data.subarray(k * 50, k * 50 + 50)));
      expect(Array.from(whole.data.subarray(k * 100 + 50, k * 100 + 100))).toEqual(Array.from(second.data.subarray(k * 50, k * 50 + 50)));
    }
  });
});

describe('gatherSumImpl', () => {
  it('equals Gather followed by a segment sum over the groups', () => {
    const rng = createRng(4);
    const x = mat(40, 3, Float64Array.from({ length: 120 }, () => rng.normal()));
    const index = Int32Array.from({ length: 42 }, () => rng.int(0, 39));
    const fused = gatherSumImpl({ x, index, groupSize: 6 });
    const gathered = gatherImpl({ x, index });
    const twoStep = segmentSumImpl({ x: gathered, segments: Int32Array.from({ length: 42 }, (_, r) => Math.floor(r / 6)), nSegments: 7 });
    expect(fused.rows).toBe(7);
    fused.data.forEach((v, k) => expect(v).toBeCloseTo(twoStep.data[k]!, 12));
  });
});
