import { createRng } from '@panel-lab/compute';
import { describe, expect, it } from 'vitest';
import { somAssign, trainSom } from '../src/index.js';

function twoBlobs(seed: number, n: number) {
  const rng = createRng(seed);
  const x = new Float64Array(n * 2);
  const label: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    x[i * 2] = (c ? 5 : -5) + 0.3 * rng.normal();
    x[i * 2 + 1] = (c ? 5 : -5) + 0.3 * rng.normal();
    label.push(c);
  }
  return { x, n, p: 2, label };
}

describe('trainSom', () => {
  it('separates two blobs perfectly on a 1×2 map; QE small, TE 0, new rows routed to their blob', () => {
    const d = twoBlobs(3, 200);
    const som = trainSom(d, { rows: 1, cols: 2, epochs: 50, seed: 11 });
    const unitOf0 = som.assignment[0]!;
    som.assignment.forEach((u, i) => expect(u === unitOf0).toBe(d.label[i] === d.label[0]));
    expect(som.unitCounts).toEqual([100, 100]);
    // blobs sit at ±5 with sd 0.3 → ±1 in standardised units, residual spread ≈ 0.06 per coordinate
    expect(som.quantizationError).toBeLessThan(0.15);
    expect(som.topographicError).toBe(0);
    const fresh = somAssign(som, { x: Float64Array.of(-5, -5, 5, 5), n: 2, p: 2 });
    expect(fresh[0]).toBe(som.assignment[0]);
    expect(fresh[1]).toBe(som.assignment[1]);
  });

  it('with radius 0 and a point mass per unit the prototypes converge to the points (QE → 0)', () => {
    const x = Float64Array.of(0, 0, 10, 0, 0, 10, 10, 10);
    const som = trainSom({ x, n: 4, p: 2 }, { rows: 2, cols: 2, epochs: 400, radius: [0, 0], learningRate: [0.5, 0.5], seed: 5, standardize: false });
    expect(som.quantizationError).toBeLessThan(1e-6);
    expect([...som.unitCounts].sort()).toEqual([1, 1, 1, 1]);
  });

  it('is reproducible with the same seed and differs with another', () => {
    const d = twoBlobs(4, 60);
    const a = trainSom(d, { rows: 2, cols: 2, epochs: 20, seed: 1 });
    const b = trainSom(d, { rows: 2, cols: 2, epochs: 20, seed: 1 });
    const c = trainSom(d, { rows: 2, cols: 2, epochs: 20, seed: 2 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a.codebook)).not.toBe(JSON.stringify(c.codebook));
    expect(a.tidy()).toHaveLength(4);
  });

  it('rejects a map larger than the data and mismatched new rows', () => {
    expect(() => trainSom({ x: new Float64Array(4), n: 2, p: 2 }, { rows: 2, cols: 2, seed: 1 })).toThrow(/at least 4 rows/);
    const som = trainSom(twoBlobs(1, 20), { rows: 1, cols: 2, epochs: 2, seed: 1 });
    expect(() => somAssign(som, { x: new Float64Array(3), n: 1, p: 3 })).toThrow(/2 inputs/);
  });
});
