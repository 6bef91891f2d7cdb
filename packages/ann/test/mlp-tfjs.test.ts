import { initTfjs } from '@panel-lab/compute-tfjs';
import { describe, expect, it } from 'vitest';
import { glorotInit, trainBatchedTfjs, type TrainConfig } from '../src/index.js';
import { checkAgainstReference, tinyProblem } from './tfjs-check.js';

const configs: TrainConfig[] = [
  { epochs: 30, optimizer: 'adam', learningRate: 0.01, activation: 'tanh', patience: 100 },
  { epochs: 30, optimizer: 'sgd', learningRate: 0.1, activation: 'sigmoid', patience: 100 },
  { epochs: 30, optimizer: 'adam', learningRate: 0.01, activation: 'relu', patience: 100 },
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`trainBatchedTfjs on tfjs-${backend}`, () => {
    for (const cfg of configs) {
      it(`matches the f64 reference within float32 tolerance (${cfg.optimizer}, ${cfg.activation})`, async () => {
        await checkAgainstReference(await initTfjs({ backend }), cfg);
      });
    }
    it('early stopping picks the same epochs as the reference', async () => {
      await checkAgainstReference(await initTfjs({ backend }), { epochs: 400, optimizer: 'adam', learningRate: 0.05, activation: 'tanh', patience: 15 });
    });
    it('is bit-for-bit reproducible with the same seed on the same backend', async () => {
      const engine = await initTfjs({ backend });
      const prob = tinyProblem(20, 3, 3, 2);
      const cfg = configs[0]!;
      const a = await trainBatchedTfjs(engine, prob, glorotInit({ inputs: 3, hidden: 4, members: 3, seed: 9 }), cfg);
      const b = await trainBatchedTfjs(engine, prob, glorotInit({ inputs: 3, hidden: 4, members: 3, seed: 9 }), cfg);
      expect(Array.from(a.weights.w1)).toEqual(Array.from(b.weights.w1));
      expect(a.lossHistory).toEqual(b.lossHistory);
    });
  });
}

describe('trainBatchedTfjs backend checks', () => {
  it('refuses an engine whose backend is not the active one', async () => {
    const engine = await initTfjs({ backend: 'cpu' });
    const prob = tinyProblem(10, 3, 1, 1);
    await expect(trainBatchedTfjs({ tf: engine.tf, backend: 'webgpu' }, prob, glorotInit({ inputs: 3, hidden: 2, members: 1, seed: 1 }), configs[0]!))
      .rejects.toThrow(/backend is 'cpu' but the engine says 'webgpu'/);
  });
});
