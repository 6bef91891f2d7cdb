import { createRng } from '@panel-lab/compute';
import { describe, expect, it } from 'vitest';
import { capRows } from '../src/pd-rows.js';
import { annBootstrapNetEffect, fitAnnEnsemble, makeDesign, OverrideEvaluator, rowMajor, type NetEffectOptions } from '../src/index.js';

function design(n: number, seed: number) {
  const rng = createRng(seed);
  const de = Float64Array.from({ length: n }, () => rng.uniform());
  const z = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(4 * de[i]!) + 0.5 * z[i]! + 0.05 * rng.normal());
  const x = new Float64Array(2 * n);
  x.set(de, 0);
  x.set(z, n);
  return makeDesign({ x, n, names: ['de', 'z'], y, groups: Int32Array.from({ length: n }, (_, i) => i % 40) });
}

const n = 600;
const d = design(n, 3);
const labels = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'b')); // 200 and 400 rows
const base: NetEffectOptions = {
  focal: 'de', seed: 5, replicates: 4, gridPoints: 7, som: { mode: 'none' }, hidden: 4, epochs: 40, patience: 10, learningRate: 0.02,
  subgroups: [{ variable: 'g', labels }],
};

describe('annBootstrapNetEffect at scale: PD row cap and minibatches', () => {
  it('pdRows at or above n changes nothing; below n, the curve is the PD over the seeded subsample, reported', async () => {
    const all = await annBootstrapNetEffect(d, base);
    expect(JSON.stringify(await annBootstrapNetEffect(d, { ...base, pdRows: n }))).toBe(JSON.stringify(all));
    expect(all.meta.pdRows).toBe(n);
    expect(all.meta.minibatch).toBeNull();
    const capped = await annBootstrapNetEffect(d, { ...base, pdRows: 250 });
    expect(capped.meta.pdRows).toBe(250);
    // above the cap each level's curve uses its rows among the curve's 250 (one network pass per grid point)
    expect(capped.subgroups.map((s) => [s.level, s.nRows])).toEqual([['a', 200], ['b', 400]]);
    expect(capped.subgroups.reduce((t, s) => t + s.rowsUsed, 0)).toBe(250);
    // the same PD, computed directly on the model over the same subsample
    const model = await fitAnnEnsemble(d, { ...base, members: 4, resample: 'groups', refitSom: false });
    const ev = new OverrideEvaluator(model, rowMajor(d), n);
    const rows = capRows(Int32Array.from({ length: n }, (_, i) => i), 250, createRng(base.seed).stream(8));
    const levelB = rows.filter((i) => labels[i] === 'b');
    capped.grid.forEach((g, k) => {
      const pd = ev.meanOver(rows, [{ col: 0, value: g }]);
      const est = pd.reduce((s, v) => s + v, 0) / pd.length;
      expect(Math.abs(est - capped.curve.estimate[k]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(est)));
      const sub = ev.meanOver(levelB, [{ col: 0, value: g }]);
      const subEst = sub.reduce((s, v) => s + v, 0) / sub.length;
      expect(Math.abs(subEst - capped.subgroups[1]!.curve.estimate[k]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(subEst)));
    });
    // a subsample of 250 rows stays close to the all-rows curve (its bootstrap band is far wider)
    capped.curve.estimate.forEach((v, k) => expect(Math.abs(v - all.curve.estimate[k]!)).toBeLessThan(0.05));
    const ale = await annBootstrapNetEffect(d, { ...base, pdRows: 250, effect: 'ale' });
    expect(ale.aleIntervalCounts!.reduce((s, c) => s + c, 0)).toBe(250);
    await expect(annBootstrapNetEffect(d, { ...base, pdRows: 0 })).rejects.toThrow(/option pdRows must be a positive integer/);
  }, 60_000);

  it('batchRows below the training rows trains on minibatches and says so in the meta', async () => {
    const res = await annBootstrapNetEffect(d, { ...base, batchRows: 128 });
    expect(res.meta.minibatch).toEqual({ batchRows: 128, validationRows: 256, validationFallbackMembers: 0 });
    expect(res.meta.experts.map((e) => e.batchRows)).toEqual([128]);
    await expect(annBootstrapNetEffect(d, { ...base, batchRows: 0 })).rejects.toThrow(/option batchRows must be an integer >= 1/);
  }, 60_000);
});
