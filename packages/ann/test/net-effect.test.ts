import { createRng } from '@panel-lab/compute';
import { describe, expect, it } from 'vitest';
import { annBootstrapNetEffect, annVsOls, fitOls, makeDesign } from '../src/index.js';
import { sinSquareDesign } from './helpers.js';

/** y = truth(de) + 0.5·z + noise, truth(x) = −4(x − 0.4)² (a maximum at 0.4); 30 "cities" × 10 rows. */
const truth = (x: number) => -4 * (x - 0.4) ** 2;
function humpDesign(n: number, seed: number) {
  const rng = createRng(seed);
  const de = Float64Array.from({ length: n }, () => rng.uniform());
  // z uniform: a normal z puts rare extreme rows in validation cities, where early stopping then picks an underfit net
  const z = Float64Array.from({ length: n }, () => 3 * rng.uniform() - 1.5);
  const y = Float64Array.from({ length: n }, (_, i) => truth(de[i]!) + 0.5 * z[i]! + 0.05 * rng.normal());
  const x = new Float64Array(2 * n);
  x.set(de, 0);
  x.set(z, n);
  return makeDesign({ x, n, names: ['de', 'z'], y, groups: Int32Array.from({ length: n }, (_, i) => i % 30) });
}

describe('annBootstrapNetEffect', () => {
  it('recovers a known response curve within its band over most of the grid, with its turning point', async () => {
    const d = humpDesign(300, 1);
    const res = await annBootstrapNetEffect(d, {
      focal: 'de', seed: 4, replicates: 20, gridPoints: 21, som: { mode: 'none' }, hidden: 6,
      epochs: 1000, learningRate: 0.02, patience: 60, conditioning: ['z'], surfaceGridPoints: 6,
      subgroups: [{ variable: 'half', labels: Array.from({ length: 300 }, (_, i) => (i % 30 < 15 ? 'a' : 'b')) }],
    });
    // PD identifies the curve up to a constant: compare after centring both on the grid mean.
    const centre = (a: readonly number[]) => { const m = a.reduce((s, v) => s + v, 0) / a.length; return a.map((v) => v - m); };
    const t = centre(res.grid.map(truth));
    const est = centre(res.curve.estimate);
    const shift = (k: number) => res.curve.estimate[k]! - est[k]!;
    const inside = res.grid.filter((_, k) => t[k]! + shift(k) >= res.curve.lo[k]! - 0.02 && t[k]! + shift(k) <= res.curve.hi[k]! + 0.02).length;
    expect(inside / res.grid.length).toBeGreaterThanOrEqual(0.8);
    // the truth spans 1.4 units over the grid; the fit is off by ~0.1 only at the sparse lower edge
    const dev = est.map((v, k) => Math.abs(v - t[k]!));
    expect(dev.reduce((s, v) => s + v, 0) / dev.length).toBeLessThan(0.05);
    expect(Math.max(...dev)).toBeLessThan(0.2);
    expect(res.turningPoints.some((tp) => tp.kind === 'maximum' && Math.abs(tp.x - 0.4) < 0.1)).toBe(true);
    // the effect relative to the lowest grid point: significantly positive near the peak
    const kPeak = res.grid.findIndex((x) => x >= 0.4);
    expect(res.change.significant[kPeak]).toBe(true);
    expect(res.change.lo[kPeak]!).toBeGreaterThan(0);
    // surface over (de × z): additive truth → rising in z at every de
    const surf = res.surfaces[0]!;
    expect(surf.z).toHaveLength(6);
    expect(surf.z[5]![3]!).toBeGreaterThan(surf.z[0]![3]!);
    for (let k = 1; k < surf.contourLevels.length; k++) expect(surf.contourLevels[k]!).toBeGreaterThanOrEqual(surf.contourLevels[k - 1]!);
    expect(res.subgroups.map((s) => s.level)).toEqual(['a', 'b']);
    for (const s of res.subgroups) {
      expect(s.nRows).toBe(150);
      expect(s.medianFitted.lo).toBeLessThanOrEqual(s.medianFitted.hi);
      expect(s.fittedBox.min).toBeLessThanOrEqual(s.fittedBox.median);
    }
    expect(res.meta.engine).toBe('f64-reference');
    expect(res.meta.resample).toBe('groups');
    const json = JSON.parse(JSON.stringify(res));
    expect(json.procedure).toBe('annBootstrapNetEffect');
    expect(res.tidy().filter((r) => r.group === 'all')).toHaveLength(21);
    expect(res.plotData().series[0]!.name).toBe('net_effect');
    expect(Object.isFrozen(res.curve.estimate)).toBe(true);
  }, 60_000);

  it('is reproducible with the same seed and names a bad focal input', async () => {
    const d = humpDesign(60, 2);
    const opts = { focal: 'de', seed: 1, replicates: 2, gridPoints: 5, som: { mode: 'none' as const }, hidden: 3, epochs: 30, learningRate: 0.02 };
    const a = await annBootstrapNetEffect(d, opts);
    const b = await annBootstrapNetEffect(d, opts);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    await expect(annBootstrapNetEffect(d, { ...opts, focal: 'nope' })).rejects.toThrow(/option focal: 'nope'/);
  });
});

describe('annVsOls', () => {
  it('learns y = sin(3 x1) + x2² + noise: test MSE well below OLS; grouped CV reported', async () => {
    const d = sinSquareDesign(400, 11);
    const res = await annVsOls(d, {
      seed: 5, split: 'groups', restarts: 2, folds: 3, som: { mode: 'none' }, hidden: 10,
      epochs: 1500, learningRate: 0.02, patience: 100,
    });
    expect(res.test.ann).toBeLessThan(0.3 * res.test.ols);
    expect(res.test.gain).toBeCloseTo((res.test.ols - res.test.ann) / res.test.ols, 12);
    expect(res.test.gain).toBeGreaterThan(0.7);
    expect(res.nTest).toBe(40);
    expect(res.cv!.perFold).toHaveLength(3);
    expect(res.cv!.annMean).toBeLessThan(res.cv!.olsMean);
    expect(res.cv!.annSd).toBeGreaterThanOrEqual(0);
    expect(res.tidy()[0]).toMatchObject({ term: 'test_mse' });
  }, 60_000);

  it('hidden-size search N−2 … N+2 includes the rule size, so its selected test MSE is never worse (select test)', async () => {
    const d = sinSquareDesign(200, 12);
    const base = { seed: 2, split: 'rows' as const, restarts: 2, folds: 0, som: { mode: 'none' as const }, epochs: 150, learningRate: 0.02, select: 'test' as const };
    const plain = await annVsOls(d, base);
    const searched = await annVsOls(d, { ...base, hiddenSearch: true });
    expect(plain.meta.hiddenOffset).toBe(0);
    expect([-2, -1, 0, 1, 2]).toContain(searched.meta.hiddenOffset);
    expect(searched.test.ann).toBeLessThanOrEqual(plain.test.ann);
    expect(searched.test.ols).toBe(plain.test.ols);
    await expect(annVsOls(d, { ...base, hiddenSearch: true, hidden: 4 })).rejects.toThrow(/hiddenSearch/);
  }, 30_000);

  it('OLS recovers exact linear coefficients', () => {
    const rng = createRng(3);
    const n = 50;
    const x = Float64Array.from({ length: n * 2 }, () => rng.normal() * 1000 + 5000);
    const y = Float64Array.from({ length: n }, (_, i) => 1.5 + 2 * x[i * 2]! - 3 * x[i * 2 + 1]!);
    const fit = fitOls(x, 2, y, Int32Array.from({ length: n }, (_, i) => i));
    expect(fit.coef[0]!).toBeCloseTo(1.5, 6);
    expect(fit.coef[1]!).toBeCloseTo(2, 10);
    expect(fit.coef[2]!).toBeCloseTo(-3, 10);
  });

  it('OLS (regression package pivoted Cholesky) names a collinear input instead of dropping it', () => {
    const n = 20;
    const x = Float64Array.from({ length: n * 2 }, (_, k) => (k % 2 === 0 ? k : 2 * (k - 1) + 3));
    const y = Float64Array.from({ length: n }, (_, i) => i);
    expect(() => fitOls(x, 2, y, Int32Array.from({ length: n }, (_, i) => i))).toThrow(/OLS X'X: singular system: column\(s\) 1/);
  });
});

describe('subgroup curves from the curve\'s own per-row predictions', () => {
  it('equal the PD over each level\'s rows: one level = the curve, two levels average back to it', async () => {
    const d = humpDesign(300, 2);
    const split = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
    const res = await annBootstrapNetEffect(d, {
      focal: 'de', seed: 5, replicates: 6, gridPoints: 7, som: { mode: 'none' }, hidden: 4, epochs: 30, patience: 10,
      subgroups: [{ variable: 'all', labels: Array.from({ length: 300 }, () => 'x') }, { variable: 'split', labels: split }],
    });
    const [all, a, b] = res.subgroups;
    expect(all!.curve.estimate).toEqual(res.curve.estimate); // same rows, same order: the same sums
    res.curve.estimate.forEach((v, k) => expect((100 * a!.curve.estimate[k]! + 200 * b!.curve.estimate[k]!) / 300).toBeCloseTo(v, 12));
  });
});
