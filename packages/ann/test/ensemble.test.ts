import { initTfjs } from '@panel-lab/compute-tfjs';
import { describe, expect, it } from 'vitest';
import { OverrideEvaluator, fitAnnEnsemble, makeDesign, memberWeights, predictMembers, rowMajor } from '../src/index.js';
import { sinSquareDesign } from './helpers.js';

const fast = { epochs: 60, learningRate: 0.02, patience: 20, hidden: 4 } as const;

describe('fitAnnEnsemble', () => {
  const cases = [
    ['experts', false, 'outputs'], ['features', false, 'outputs'], ['stacked', false, 'outputs'], ['stacked', false, 'outputs_bmu'],
    ['none', false, 'outputs'], ['experts', true, 'outputs'], ['stacked', true, 'outputs'], ['stacked', true, 'outputs_bmu'],
  ] as const;
  for (const [mode, refitSom, stackerInputs] of cases) {
    it(`partial-dependence evaluator equals predicting on modified rows (SOM mode ${mode}, refitSom ${refitSom}${mode === 'stacked' ? `, stacker ${stackerInputs}` : ''})`, async () => {
      const d = sinSquareDesign(120, 3);
      const model = await fitAnnEnsemble(d, { seed: 1, members: 3, resample: 'rows', som: { mode, epochs: 20, minClusterRows: 15 }, refitSom, stackerInputs, ...fast });
      expect(model.somMode).toBe(mode);
      expect(model.refitSom).toBe(refitSom);
      const raw = rowMajor(d);
      const ev = new OverrideEvaluator(model, raw, d.n);
      const rows = Int32Array.from({ length: d.n }, (_, i) => i);
      for (const [v1, v2] of [[-0.8, 0.3], [0.6, -0.9]] as const) {
        const got = ev.meanOver(rows, [{ col: 0, value: v1 }, { col: 1, value: v2 }]);
        const mod = Float64Array.from(raw, (v, k) => (k % 2 === 0 ? v1 : v2));
        const pred = predictMembers(model, mod, d.n);
        for (let m = 0; m < 3; m++) {
          let s = 0;
          for (let i = 0; i < d.n; i++) s += pred[i * 3 + m]!;
          expect(got[m]!).toBeCloseTo(s / d.n, 10);
        }
      }
      // no override: the observed rows' fitted values
      const per = new Float64Array(d.n * 3);
      ev.meanOver(rows, [], per);
      const pred = predictMembers(model, raw, d.n);
      per.forEach((v, k) => expect(v).toBeCloseTo(pred[k]!, 10));
    });
  }

  it('experts mode: one network per SOM cluster; small clusters merge (counted in units)', async () => {
    const d = sinSquareDesign(120, 4);
    const model = await fitAnnEnsemble(d, { seed: 2, som: { mode: 'experts', epochs: 20, minClusterRows: 15 }, ...fast, hidden: undefined });
    const units = model.experts.flatMap((e) => e.units).sort();
    expect(units).toEqual([0, 1, 2, 3]);
    expect(model.experts.reduce((s, e) => s + e.trainRows, 0)).toBe(120);
    for (const e of model.experts) expect(e.trainRows).toBeGreaterThanOrEqual(15);
    const merged = await fitAnnEnsemble(d, { seed: 2, som: { mode: 'experts', epochs: 20, minClusterRows: 1000 }, ...fast });
    expect(merged.experts).toHaveLength(1);
  });

  it('cluster bootstrap draws whole groups; rows bootstrap draws n rows; validation holds out drawn units', () => {
    const d = sinSquareDesign(100, 5);
    const train = Int32Array.from({ length: 100 }, (_, i) => i);
    const { train: tw, val: vw } = memberWeights(d, train, 2, 'groups', 0.2, 3);
    for (let m = 0; m < 2; m++) {
      for (let g = 0; g < 10; g++) {
        const w = Array.from({ length: 10 }, (_, r) => tw[m * 100 + g * 10 + r]! + vw[m * 100 + g * 10 + r]!);
        expect(new Set(w).size).toBe(1); // a city is drawn whole
      }
      let total = 0;
      for (let i = 0; i < 100; i++) total += tw[m * 100 + i]! + vw[m * 100 + i]!;
      expect(total).toBe(100);
    }
    // no resampling: weight 1 everywhere, validation = whole held-out cities
    const none = memberWeights(d, train, 1, 'none', 0.2, 3);
    for (let g = 0; g < 10; g++) {
      const v = Array.from({ length: 10 }, (_, r) => none.val[g * 10 + r]!);
      expect(new Set(v).size).toBe(1);
    }
    expect(none.val.reduce((s, v) => s + v, 0)).toBe(20);
    expect(none.train.reduce((s, v) => s + v, 0) + none.val.reduce((s, v) => s + v, 0)).toBe(100);
    const rows = memberWeights(d, train, 1, 'rows', 0, 3);
    expect(rows.train.reduce((s, v) => s + v, 0)).toBe(100);
    expect(rows.val.every((v) => v === 0)).toBe(true);
  });

  it('tfjs engine: records the backend, reproduces bit-for-bit, agrees with the f64 path', async () => {
    const engine = await initTfjs({ backend: 'cpu' });
    const d = sinSquareDesign(60, 6);
    const opts = { seed: 3, members: 2, resample: 'rows' as const, som: { mode: 'none' as const }, ...fast, epochs: 30 };
    const a = await fitAnnEnsemble(d, { ...opts, engine });
    const b = await fitAnnEnsemble(d, { ...opts, engine });
    const ref = await fitAnnEnsemble(d, opts);
    expect(a.engine).toBe('tfjs-cpu');
    expect(ref.engine).toBe('f64-reference');
    const raw = rowMajor(d);
    const pa = predictMembers(a, raw, d.n);
    expect(Array.from(pa)).toEqual(Array.from(predictMembers(b, raw, d.n)));
    const pr = predictMembers(ref, raw, d.n);
    pa.forEach((v, k) => expect(Math.abs(v - pr[k]!)).toBeLessThan(1e-3));
  });

  it('names bad options and inputs', async () => {
    const d = sinSquareDesign(30, 7);
    await expect(fitAnnEnsemble(d, { seed: 1, epochs: 0 })).rejects.toThrow(/option epochs/);
    await expect(fitAnnEnsemble(makeDesign({ x: d.x, n: 30, names: d.names }), { seed: 1 })).rejects.toThrow(/target/);
    expect(() => makeDesign({ x: Float64Array.of(1, NaN), n: 1, names: ['a', 'b'] })).toThrow(/column 'b' row 0/);
  });
});
