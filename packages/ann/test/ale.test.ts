import { createRng } from '@panel-lab/compute';
import { describe, expect, it } from 'vitest';
import { accumulatedLocalEffects, annBootstrapNetEffect, makeDesign } from '../src/index.js';

describe('accumulatedLocalEffects (Apley & Zhu)', () => {
  it('additive f = x1² + 3·x2 with correlated x2: ALE of x1 is x1² up to a constant, centred to row mean 0', () => {
    const rng = createRng(1);
    const n = 300;
    const x1 = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
    const x2 = Float64Array.from(x1, (v) => 0.9 * v + 0.1 * rng.normal()); // strongly correlated
    const grid = Array.from({ length: 11 }, (_, k) => -0.9 + 0.18 * k);
    const calls: number[] = [];
    const meanAt = (rows: Int32Array, v: number) => {
      calls.push(rows.length);
      let s = 0;
      for (const i of rows) s += v * v + 3 * x2[i]!;
      return Float64Array.of(s / rows.length);
    };
    const { curves, intervalCounts } = accumulatedLocalEffects(x1, grid, 1, meanAt);
    // shape: differences from the first grid point are exactly z_k² − z_0²
    grid.forEach((z, k) => expect(curves[k]![0]! - curves[0]![0]!).toBeCloseTo(z * z - grid[0]! ** 2, 12));
    // every row counted once; rows beyond the grid ends join the end intervals
    expect(intervalCounts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(intervalCounts[0]!).toBe(Array.from(x1).filter((v) => v <= grid[1]!).length);
    expect(intervalCounts[9]!).toBe(Array.from(x1).filter((v) => v > grid[9]!).length);
    // centring: row-weighted midpoint mean is 0
    let c = 0;
    for (let k = 1; k < grid.length; k++) c += (intervalCounts[k - 1]! * (curves[k - 1]![0]! + curves[k]![0]!)) / 2;
    expect(c / n).toBeCloseTo(0, 12);
    // local effects only: each row evaluated at its own interval's two ends (2n evaluations in all)
    expect(calls.reduce((a, b) => a + b, 0)).toBe(2 * n);
  });

  it('an empty interval adds nothing; a bad grid is named', () => {
    const x = Float64Array.of(0.05, 0.1, 0.9, 0.95);
    const { curves, intervalCounts } = accumulatedLocalEffects(x, [0, 0.3, 0.6, 1], 1, (rows, v) => Float64Array.of(2 * v + rows.length * 0));
    expect(intervalCounts).toEqual([2, 0, 2]);
    expect(curves[2]![0]! - curves[1]![0]!).toBe(0);
    expect(curves[1]![0]! - curves[0]![0]!).toBeCloseTo(0.6, 12);
    expect(() => accumulatedLocalEffects(x, [0, 0.5, 0.5], 1, () => Float64Array.of(0))).toThrow(/grid must increase/);
  });

  it("net effect with effect 'ale': the bootstrap ALE curve recovers a known hump under correlated inputs", async () => {
    const rng = createRng(7);
    const n = 300;
    const truth = (x: number) => -4 * (x - 0.4) ** 2;
    const de = Float64Array.from({ length: n }, () => rng.uniform());
    const z = Float64Array.from(de, (v) => 2 * v - 1 + 0.3 * rng.normal());
    const y = Float64Array.from({ length: n }, (_, i) => truth(de[i]!) + 0.5 * z[i]! + 0.05 * rng.normal());
    const x = new Float64Array(2 * n);
    x.set(de, 0);
    x.set(z, n);
    const d = makeDesign({ x, n, names: ['de', 'z'], y, groups: Int32Array.from({ length: n }, (_, i) => i % 30) });
    const res = await annBootstrapNetEffect(d, {
      focal: 'de', seed: 3, replicates: 6, gridPoints: 15, som: { mode: 'none' }, hidden: 6, epochs: 800, learningRate: 0.02, patience: 60,
      effect: 'ale', subgroups: [{ variable: 'half', labels: Array.from({ length: n }, (_, i) => (i % 30 < 15 ? 'a' : 'b')) }],
    });
    expect(res.effect).toBe('ale');
    expect(res.aleIntervalCounts!.reduce((a, b) => a + b, 0)).toBe(n);
    const centre = (a: readonly number[]) => { const m = a.reduce((s, v) => s + v, 0) / a.length; return a.map((v) => v - m); };
    const t = centre(res.grid.map(truth));
    const est = centre(res.curve.estimate);
    const dev = est.map((v, k) => Math.abs(v - t[k]!));
    console.info(`ALE mean |error| ${(dev.reduce((s, v) => s + v, 0) / dev.length).toFixed(3)} over a truth range of 1.4`);
    expect(dev.reduce((s, v) => s + v, 0) / dev.length).toBeLessThan(0.08);
    expect(res.turningPoints.some((tp) => tp.kind === 'maximum' && Math.abs(tp.x - 0.4) < 0.12)).toBe(true);
    expect(res.subgroups).toHaveLength(2);
    await expect(annBootstrapNetEffect(d, { focal: 'de', seed: 1, replicates: 2, som: { mode: 'none' }, epochs: 5, effect: 'ale', method: 'at_means' })).rejects.toThrow(/option effect 'ale'/);
  }, 60_000);
});
