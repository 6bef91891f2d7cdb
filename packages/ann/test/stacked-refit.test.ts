import { createRng } from '@panel-lab/compute';
import { initTfjs } from '@panel-lab/compute-tfjs';
import { describe, expect, it } from 'vitest';
import { annBootstrapNetEffect, fitAnnEnsemble, makeDesign, memberWeights, predictMean, predictMembers, rowMajor, type Design } from '../src/index.js';
import { sinSquareDesign } from './helpers.js';

const fast = { epochs: 60, learningRate: 0.02, patience: 20, hidden: 4 } as const;

/** Two regimes split by x2's sign (far apart): y = sin(3·x1) when x2 > 0, −x1² + 0.5·x1 otherwise. */
function twoRegimeDesign(n: number, seed: number): Design {
  const rng = createRng(seed);
  const x1 = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const x2 = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 2 : -2) + 0.3 * rng.normal());
  const y = Float64Array.from({ length: n }, (_, i) => (x2[i]! > 0 ? Math.sin(3 * x1[i]!) : -(x1[i]! ** 2) + 0.5 * x1[i]!) + 0.05 * rng.normal());
  const x = new Float64Array(2 * n);
  x.set(x1, 0);
  x.set(x2, n);
  return makeDesign({ x, n, names: ['x1', 'x2'], y });
}

describe("SOM mode 'stacked'", () => {
  it('trains a hidden-2 final network per member over all experts, predicts, reproduces bit-for-bit', async () => {
    const d = sinSquareDesign(120, 11);
    const opts = { seed: 5, members: 3, resample: 'rows' as const, som: { mode: 'stacked' as const, epochs: 20, minClusterRows: 15 }, ...fast };
    const a = await fitAnnEnsemble(d, opts);
    const b = await fitAnnEnsemble(d, opts);
    const c = await fitAnnEnsemble(d, { ...opts, seed: 6 });
    expect(a.somMode).toBe('stacked');
    expect(a.stacker!.hidden).toBe(2);
    expect(a.stacker!.inputs).toBe(a.experts.length);
    expect(a.stacker!.members).toBe(3);
    const raw = rowMajor(d);
    const pa = predictMembers(a, raw, d.n);
    expect(pa.every(Number.isFinite)).toBe(true);
    expect(Array.from(pa)).toEqual(Array.from(predictMembers(b, raw, d.n)));
    expect(Array.from(pa)).not.toEqual(Array.from(predictMembers(c, raw, d.n)));
  });

  it('two-regime toy problem: with the BMU fed in, stacked beats a plain network (test MSE; within 2.5x of SOM experts)', async () => {
    const d = twoRegimeDesign(400, 21);
    const trainRows = Int32Array.from({ length: 300 }, (_, i) => i);
    const testRows = Array.from({ length: 100 }, (_, i) => 300 + i);
    const common = { seed: 9, members: 2, resample: 'none' as const, trainRows, epochs: 1500, learningRate: 0.02, patience: 60, hidden: 3 };
    const mse = async (mode: 'none' | 'experts' | 'stacked', stackerInputs: 'outputs' | 'outputs_bmu' = 'outputs') => {
      const model = await fitAnnEnsemble(d, { ...common, stackerInputs, som: { mode, rows: 1, cols: 2, epochs: 30, minClusterRows: 20 } });
      const pred = predictMean(model, rowMajor(d, testRows), testRows.length);
      return testRows.reduce((s, i, r) => s + (pred[r]! - d.y![i]!) ** 2, 0) / testRows.length;
    };
    const none = await mse('none');
    const experts = await mse('experts');
    const outputsOnly = await mse('stacked');
    const withBmu = await mse('stacked', 'outputs_bmu');
    console.info(`two-regime test MSE: none ${none.toFixed(4)}, experts ${experts.toFixed(4)}, stacked(outputs) ${outputsOnly.toFixed(4)}, stacked(outputs_bmu) ${withBmu.toFixed(4)}`);
    expect(withBmu).toBeLessThan(none);
    // stated tolerance vs experts: within a factor 2.5 of their test MSE (observed 0.0080 vs 0.0036: the
    // hidden-2 stacker only approximates the hard switch between regimes that routing gets exactly)
    expect(withBmu).toBeLessThan(experts * 2.5);
    // METHODS' outputs-only stacker cannot tell the regimes apart from two expert outputs (documented limitation)
    expect(withBmu).toBeLessThan(outputsOnly);
  });
});

describe('refitSom: one SOM per bootstrap replicate, all replicates × clusters batched', () => {
  it("each member's SOM is fitted on its own resample; reruns are bit-identical; the result records it", async () => {
    const d = sinSquareDesign(120, 12);
    const opts = { seed: 4, members: 3, resample: 'rows' as const, validationShare: 0.2, som: { mode: 'experts' as const, epochs: 20, minClusterRows: 15 }, refitSom: true, ...fast };
    const a = await fitAnnEnsemble(d, opts);
    const b = await fitAnnEnsemble(d, opts);
    expect(a.refitSom).toBe(true);
    expect(a.memberSoms).toHaveLength(3);
    expect(a.memberUnitToExpert).toHaveLength(3);
    expect(a.experts).toHaveLength(4); // one slot per SOM unit, each holding every member's network
    const train = Int32Array.from({ length: d.n }, (_, i) => i);
    const { train: tw } = memberWeights(d, train, 3, 'rows', 0.2, 4);
    const raw = rowMajor(d);
    for (let m = 0; m < 3; m++) {
      // standardisation centre of member m's SOM = mean of its (bootstrap-weighted) training rows
      for (let j = 0; j < 2; j++) {
        let s = 0, w = 0;
        for (let i = 0; i < d.n; i++) { s += tw[m * d.n + i]! * raw[i * 2 + j]!; w += tw[m * d.n + i]!; }
        expect(a.memberSoms![m]!.center[j]!).toBeCloseTo(s / w, 10);
      }
    }
    expect(a.memberSoms![0]!.codebook).not.toEqual(a.memberSoms![1]!.codebook);
    expect(Array.from(predictMembers(a, raw, d.n))).toEqual(Array.from(predictMembers(b, raw, d.n)));
    const off = await fitAnnEnsemble(d, { ...opts, refitSom: false });
    expect(off.refitSom).toBe(false);
    expect(off.memberSoms).toBeUndefined();
  });

  it('tfjs cpu engine: refitSom + stacked train all replicates × slots in one batched problem, agree with f64', async () => {
    const engine = await initTfjs({ backend: 'cpu' });
    const d = sinSquareDesign(80, 14);
    const opts = { seed: 8, members: 2, resample: 'rows' as const, som: { mode: 'stacked' as const, epochs: 10, minClusterRows: 10 }, refitSom: true, ...fast, epochs: 30 };
    const a = await fitAnnEnsemble(d, { ...opts, engine });
    const ref = await fitAnnEnsemble(d, opts);
    expect(a.engine).toBe('tfjs-cpu');
    const raw = rowMajor(d);
    const pa = predictMembers(a, raw, d.n);
    const pr = predictMembers(ref, raw, d.n);
    pa.forEach((v, k) => expect(Math.abs(v - pr[k]!)).toBeLessThan(1e-3));
  });

  it('net effect: refitSom defaults to true for experts/stacked (METHODS §19.1.3), false on request, recorded in meta', async () => {
    const d = sinSquareDesign(80, 13);
    const base = { focal: 'x1', replicates: 3, gridPoints: 5, seed: 2, som: { mode: 'experts' as const, epochs: 10, minClusterRows: 10 }, ...fast, epochs: 30 };
    const on = await annBootstrapNetEffect(d, base);
    const off = await annBootstrapNetEffect(d, { ...base, refitSom: false });
    expect(on.meta.refitSom).toBe(true);
    expect(off.meta.refitSom).toBe(false);
    const none = await annBootstrapNetEffect(d, { ...base, som: { mode: 'none' } });
    expect(none.meta.refitSom).toBe(false);
    await expect(fitAnnEnsemble(d, { seed: 1, members: 2, som: { mode: 'features' }, refitSom: true })).rejects.toThrow(/option refitSom/);
  });
});
