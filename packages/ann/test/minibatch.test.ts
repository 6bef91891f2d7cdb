import { createRng } from '@panel-lab/compute';
import { initTfjs } from '@panel-lab/compute-tfjs';
import { describe, expect, it } from 'vitest';
import { minibatchPlan } from '../src/mlp-core.js';
import { forwardAll, glorotInit, trainBatchedReference, trainBatchedTfjs, type BatchedProblem, type TrainConfig } from '../src/index.js';
import { checkAgainstReference, tinyProblem } from './tfjs-check.js';

const adam: TrainConfig = { epochs: 60, optimizer: 'adam', learningRate: 0.02, activation: 'tanh', patience: 8, batchRows: 10, batchSeed: 3 };

/** Rows of problem `prob` as a problem of their own (same row order). */
function subProblem(prob: BatchedProblem, rows: Int32Array): BatchedProblem {
  const { p, members: M } = prob;
  const x = new Float64Array(rows.length * p);
  const y = new Float64Array(rows.length);
  const tw = new Float64Array(rows.length * M);
  rows.forEach((i, k) => {
    x.set(prob.x.subarray(i * p, (i + 1) * p), k * p);
    y[k] = prob.y[i]!;
    tw.set(prob.trainWeights.subarray(i * M, (i + 1) * M), k * M);
  });
  return { n: rows.length, p, members: M, x, y, trainWeights: tw };
}

describe('minibatchPlan', () => {
  it('is null at n ≤ batchRows; otherwise cuts seeded permutations into equal blocks, reshuffled every pass', () => {
    const prob = tinyProblem(23, 2, 2, 1);
    expect(minibatchPlan(prob, { batchRows: 23 })).toBeNull();
    expect(minibatchPlan(prob, {})).toBeNull();
    const plan = minibatchPlan(prob, { batchRows: 5, batchSeed: 9 })!;
    const again = minibatchPlan(prob, { batchRows: 5, batchSeed: 9 })!;
    const passes = [0, 1].map(() => Array.from({ length: 4 }, () => Array.from(plan.next())));
    passes.forEach((pass) => {
      const seen = pass.flat();
      expect(new Set(seen).size).toBe(20); // 4 disjoint blocks of 5; 3 rows wait for the next pass
      pass.forEach((b) => expect(b).toEqual([...b].sort((a, c) => a - c)));
    });
    expect(passes[1]).not.toEqual(passes[0]);
    expect(Array.from(again.next())).toEqual(passes[0]![0]);
    expect(Array.from(minibatchPlan(prob, { batchRows: 5, batchSeed: 10 })!.next())).not.toEqual(passes[0]![0]);
    expect(plan.validation!.rows.length).toBe(10);
  });

  it('validates a member without validation weight in the subset on its training weights there, and counts it', () => {
    const base = tinyProblem(40, 2, 3, 2);
    const vw = Float64Array.from(base.valWeights!);
    for (let i = 0; i < 40; i++) vw[i * 3 + 1] = 0; // member 1: no validation rows at all
    const plan = minibatchPlan({ ...base, valWeights: vw }, { batchRows: 8, batchSeed: 1 })!;
    const v = plan.validation!;
    expect(v.rows.length).toBe(16);
    expect(v.fallbackMembers).toBe(1);
    v.rows.forEach((i, r) => {
      expect(v.weights[r * 3 + 1]).toBe(base.trainWeights[i * 3 + 1]);
      expect(v.weights[r * 3]).toBe(vw[i * 3]);
    });
    v.sums.forEach((s) => expect(s).toBeGreaterThan(0));
  });
});

describe('trainBatchedReference with minibatches', () => {
  it('n ≤ batchRows is the full-batch path, bit for bit', () => {
    const prob = tinyProblem(30, 3, 3, 4);
    const init = glorotInit({ inputs: 3, hidden: 4, members: 3, seed: 2 });
    const full = trainBatchedReference(prob, init, { ...adam, batchRows: undefined });
    const capped = trainBatchedReference(prob, init, { ...adam, batchRows: 30 });
    expect(capped.minibatch).toBeUndefined();
    expect(Array.from(capped.weights.w1)).toEqual(Array.from(full.weights.w1));
    expect(capped.lossHistory).toEqual(full.lossHistory);
  });

  it('one step equals a full-batch step on the rows the plan drew; a member without rows there does not move', () => {
    const prob0 = tinyProblem(40, 3, 2, 5);
    const cfg: TrainConfig = { epochs: 1, optimizer: 'sgd', learningRate: 0.1, activation: 'tanh', patience: 5, batchRows: 10, batchSeed: 7 };
    const rows = Int32Array.from(minibatchPlan(prob0, cfg)!.next());
    // member 1 trains only on rows outside the first block
    const tw = Float64Array.from(prob0.trainWeights);
    for (let i = 0; i < 40; i++) tw[i * 2 + 1] = rows.includes(i) ? 0 : 1;
    const prob = { ...prob0, valWeights: undefined, trainWeights: tw };
    const init = glorotInit({ inputs: 3, hidden: 4, members: 2, seed: 8 });
    const mini = trainBatchedReference(prob, init, cfg);
    const onBlock = trainBatchedReference(subProblem(prob0, rows), init, { ...cfg, batchRows: undefined });
    expect(mini.minibatch).toEqual({ batchRows: 10, validationRows: 0, validationFallbackMembers: 0 });
    const member = (w: Float64Array, m: number, h = 4, H = 8) => Array.from(w).filter((_, c) => Math.floor((c % H) / h) === m);
    expect(member(mini.weights.w1, 0)).toEqual(member(onBlock.weights.w1, 0));
    expect(member(mini.weights.w1, 1)).toEqual(member(init.w1, 1));
    expect(mini.weights.b2[1]).toBe(init.b2[1]);
    expect(mini.finalTrainLoss[1]).toBe(0);
  });

  it('recovers y = sin(3x) on 50,000 rows with 512-row steps', () => {
    const n = 50_000;
    const rng = createRng(12);
    const x = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
    const y = Float64Array.from(x, (v) => 0.8 * Math.sin(3 * v) + 0.05 * rng.normal());
    const M = 2;
    const tw = Float64Array.from({ length: n * M }, (_, k) => (Math.floor(k / M) % 7 === 0 ? 0 : 1));
    const vw = Float64Array.from(tw, (w) => 1 - w);
    const prob: BatchedProblem = { n, p: 1, members: M, x, y, trainWeights: tw, valWeights: vw };
    const out = trainBatchedReference(prob, glorotInit({ inputs: 1, hidden: 8, members: M, seed: 3 }),
      { epochs: 2000, optimizer: 'adam', learningRate: 0.02, activation: 'tanh', patience: 200, batchRows: 512, batchSeed: 1 });
    expect(out.minibatch).toEqual({ batchRows: 512, validationRows: 1024, validationFallbackMembers: 0 });
    const grid = Float64Array.from({ length: 41 }, (_, k) => -0.95 + (1.9 * k) / 40);
    const pred = forwardAll(out.weights, 'tanh', grid, grid.length);
    for (let m = 0; m < M; m++) {
      const maxErr = Math.max(...Array.from(grid, (g, k) => Math.abs(pred[k * M + m]! - 0.8 * Math.sin(3 * g))));
      expect(maxErr).toBeLessThan(0.06);
    }
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`trainBatchedTfjs with minibatches on tfjs-${backend}`, () => {
    it('matches the f64 reference within float32 tolerance, including the early-stopping epochs', async () => {
      await checkAgainstReference(await initTfjs({ backend }), adam, 4, 37);
    });
    it('matches with plain SGD, sigmoid and a member missing from some steps', async () => {
      await checkAgainstReference(await initTfjs({ backend }), { ...adam, optimizer: 'sgd', learningRate: 0.2, activation: 'sigmoid', batchRows: 4 }, 3, 30);
    });
  });
}

describe('minibatch memory does not grow with n', () => {
  it('tfjs: the peak device memory beyond the inputs is the same at 20,000 and 200,000 rows', async () => {
    const engine = await initTfjs({ backend: 'cpu' });
    const { tf } = engine;
    const M = 8;
    const h = 16;
    const extraPeak = async (n: number) => {
      const prob = tinyProblem(n, 3, M, 31);
      const inputs = 4 * n * (3 + 1 + 1 + M); // X with its ones column, Y, TW on the device (float32)
      const cfg: TrainConfig = { epochs: 3, optimizer: 'adam', learningRate: 0.01, activation: 'tanh', patience: 5, batchRows: 256, batchSeed: 1 };
      const info = await tf.profile(async () => { await trainBatchedTfjs(engine, prob, glorotInit({ inputs: 3, hidden: h, members: M, seed: 1 }), cfg); });
      return info.peakBytes - inputs;
    };
    const small = await extraPeak(20_000);
    const large = await extraPeak(200_000);
    const stepTensor = 4 * 2 * 256 * M * h; // one validation-subset-sized hidden tensor
    expect(small).toBeLessThan(40 * stepTensor);
    expect(Math.abs(large - small)).toBeLessThan(stepTensor); // a full-batch hidden tensor alone would add 4·180,000·128 bytes
  });
});
