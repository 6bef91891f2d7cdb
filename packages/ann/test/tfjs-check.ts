import { createRng } from '@panel-lab/compute';
import { expect } from 'vitest';
import {
  forwardAll, glorotInit, trainBatchedReference, trainBatchedTfjs,
  type BatchedProblem, type TfjsEngine, type TrainConfig,
} from '../src/index.js';

export function tinyProblem(n: number, p: number, M: number, seed: number): BatchedProblem {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * p }, () => 2 * rng.uniform() - 1);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(2 * x[i * p]!) + 0.3 * x[i * p + 1]! + 0.05 * rng.normal());
  const tw = Float64Array.from({ length: n * M }, () => rng.int(0, 2));
  const vw = Float64Array.from(tw, (w) => (w === 0 ? 1 : 0));
  return { n, p, members: M, x, y, trainWeights: tw, valWeights: vw };
}

// float32 training over a few dozen steps: parameters drift from the f64 path by accumulated rounding
// (~1e-6 relative per step); 2e-4 on predictions in [-1, 1] leaves room without hiding a wrong gradient.
const F32_PRED_TOL = 2e-4;

/** Trains the same tiny batched problem on tfjs and on the f64 reference and compares them. */
export async function checkAgainstReference(engine: TfjsEngine, cfg: TrainConfig, M = 4, n = 24): Promise<void> {
  const prob = tinyProblem(n, 3, M, 21);
  const init = glorotInit({ inputs: 3, hidden: 5, members: M, seed: 6 });
  const numBefore = engine.tf.memory().numTensors;
  const ref = trainBatchedReference(prob, init, cfg);
  const got = await trainBatchedTfjs(engine, prob, init, cfg);
  expect(engine.tf.memory().numTensors).toBe(numBefore); // no leaked tensors
  expect(engine.tf.getBackend()).toBe(engine.backend);
  expect(got.engine).toBe(`tfjs-${engine.backend}`);
  expect(got.epochsRun).toBe(ref.epochsRun);
  expect(Array.from(got.bestEpoch)).toEqual(Array.from(ref.bestEpoch));
  expect(got.minibatch).toEqual(ref.minibatch);
  const a = forwardAll(ref.weights, cfg.activation, prob.x, prob.n);
  const b = forwardAll(got.weights, cfg.activation, prob.x, prob.n);
  let maxDiff = 0;
  for (let k = 0; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a[k]! - b[k]!));
  expect(maxDiff).toBeLessThan(F32_PRED_TOL);
  got.lossHistory.forEach((l, t) => expect(Math.abs(l - ref.lossHistory[t]!)).toBeLessThan(1e-4 * Math.max(1, ref.lossHistory[t]!)));
}
