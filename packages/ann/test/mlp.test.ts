import { createRng } from '@panel-lab/compute';
import { describe, expect, it } from 'vitest';
import {
  forwardAll, glorotInit, hiddenNeuronRule, trainBatchedReference,
  type Activation, type BatchedProblem, type BatchedWeights, type TrainConfig,
} from '../src/index.js';

function tinyProblem(n: number, p: number, M: number, seed: number, withVal = false): BatchedProblem {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * p }, () => 2 * rng.uniform() - 1);
  const y = Float64Array.from({ length: n }, (_, i) => Math.tanh(x[i * p]! - 0.5 * x[i * p + p - 1]!) + 0.1 * rng.normal());
  const tw = Float64Array.from({ length: n * M }, () => rng.int(0, 2));
  const vw = withVal ? Float64Array.from(tw, (w) => (w === 0 ? 1 : 0)) : undefined;
  return { n, p, members: M, x, y, trainWeights: tw, ...(vw ? { valWeights: vw } : {}) };
}

/** Weighted MSE of member m as a function of its parameters. */
function memberLoss(prob: BatchedProblem, w: BatchedWeights, act: Activation, m: number): number {
  const out = forwardAll(w, act, prob.x, prob.n);
  let s = 0, ws = 0;
  for (let i = 0; i < prob.n; i++) {
    const wi = prob.trainWeights[i * prob.members + m]!;
    s += wi * (out[i * prob.members + m]! - prob.y[i]!) ** 2;
    ws += wi;
  }
  return s / ws;
}

describe('hiddenNeuronRule', () => {
  it('reproduces the seed worked example: s = 2457, IO = 27 → 7.52 → 8', () => {
    expect(hiddenNeuronRule({ sampleSize: 2457, inputs: 27 })).toBe(8);
    expect(hiddenNeuronRule({ sampleSize: 30, inputs: 27 })).toBe(1); // minimum 1
  });
});

describe('trainBatchedReference', () => {
  for (const act of ['tanh', 'sigmoid', 'relu'] as const) {
    it(`one SGD step equals −lr × the finite-difference gradient (${act})`, () => {
      const prob = tinyProblem(12, 3, 2, 7);
      const init = glorotInit({ inputs: 3, hidden: 4, members: 2, seed: 3 });
      const lr = 1e-3;
      const cfg: TrainConfig = { epochs: 1, optimizer: 'sgd', learningRate: lr, activation: act, patience: 10 };
      const after = trainBatchedReference(prob, init, cfg).weights;
      const h = 1e-6;
      for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
        for (let c = 0; c < init[key].length; c++) {
          const m = key === 'b2' ? c : key === 'w1' ? Math.floor((c % (2 * 4)) / 4) : Math.floor(c / 4);
          const plus = { ...init, [key]: Float64Array.from(init[key], (v, k) => (k === c ? v + h : v)) };
          const minus = { ...init, [key]: Float64Array.from(init[key], (v, k) => (k === c ? v - h : v)) };
          const fd = (memberLoss(prob, plus, act, m) - memberLoss(prob, minus, act, m)) / (2 * h);
          expect((init[key][c]! - after[key][c]!) / lr).toBeCloseTo(fd, 5);
        }
      }
    });
  }

  it('members are independent: training M together equals training each alone', () => {
    const prob = tinyProblem(20, 3, 3, 8, true);
    const init = glorotInit({ inputs: 3, hidden: 3, members: 3, seed: 4 });
    const cfg: TrainConfig = { epochs: 40, optimizer: 'adam', learningRate: 0.02, activation: 'tanh', patience: 5 };
    const together = trainBatchedReference(prob, init, cfg);
    for (let m = 0; m < 3; m++) {
      const pick = (a: Float64Array) => Float64Array.from({ length: prob.n }, (_, i) => a[i * 3 + m]!);
      const single: BatchedProblem = { ...prob, members: 1, trainWeights: pick(prob.trainWeights), valWeights: pick(prob.valWeights!) };
      const initM = glorotInit({ inputs: 3, hidden: 3, members: 1, seed: 4, memberOffset: m });
      const alone = trainBatchedReference(single, initM, cfg);
      const outT = forwardAll(together.weights, 'tanh', prob.x, prob.n);
      const outA = forwardAll(alone.weights, 'tanh', prob.x, prob.n);
      for (let i = 0; i < prob.n; i++) expect(outA[i]!).toBeCloseTo(outT[i * 3 + m]!, 12);
      expect(alone.bestEpoch[0]).toBe(together.bestEpoch[m]);
    }
  });

  it('early stopping returns each member\'s best-validation weights and stops when all have stopped', () => {
    const prob = tinyProblem(30, 3, 2, 9, true);
    const init = glorotInit({ inputs: 3, hidden: 6, members: 2, seed: 5 });
    const out = trainBatchedReference(prob, init, { epochs: 3000, optimizer: 'adam', learningRate: 0.05, activation: 'tanh', patience: 20 });
    expect(out.epochsRun).toBeLessThan(3000);
    for (let m = 0; m < 2; m++) {
      expect(out.bestEpoch[m]!).toBeLessThan(out.epochsRun - 20 + 1);
      // validation loss of the returned weights is the recorded best
      const pred = forwardAll(out.weights, 'tanh', prob.x, prob.n);
      let s = 0, ws = 0;
      for (let i = 0; i < prob.n; i++) { const v = prob.valWeights![i * 2 + m]!; s += v * (pred[i * 2 + m]! - prob.y[i]!) ** 2; ws += v; }
      expect(s / ws).toBeCloseTo(out.bestValLoss[m]!, 12);
    }
  });

  it('is bit-for-bit reproducible and rejects members without rows', () => {
    const prob = tinyProblem(15, 2, 2, 10);
    const cfg: TrainConfig = { epochs: 20, optimizer: 'adam', learningRate: 0.01, activation: 'relu', patience: 5 };
    const a = trainBatchedReference(prob, glorotInit({ inputs: 2, hidden: 3, members: 2, seed: 1 }), cfg);
    const b = trainBatchedReference(prob, glorotInit({ inputs: 2, hidden: 3, members: 2, seed: 1 }), cfg);
    expect(Array.from(a.weights.w1)).toEqual(Array.from(b.weights.w1));
    expect(a.lossHistory).toEqual(b.lossHistory);
    const empty = { ...prob, trainWeights: Float64Array.from(prob.trainWeights, (w, k) => (k % 2 === 1 ? 0 : w)) };
    expect(() => trainBatchedReference(empty, glorotInit({ inputs: 2, hidden: 3, members: 2, seed: 1 }), cfg)).toThrow(/member 1 has no training rows/);
  });
});
