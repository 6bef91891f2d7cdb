// Seed 002 net-effect bootstrap workload (issue 8): B one-hidden-layer networks (27 inputs, hidden size by the
// seed's rule = 8, n = 2,457 city-years, full batch, Adam lr 0.01, sigmoid), each on its own bootstrap resample,
// trained as ONE batched problem. Engines: the float64 TypeScript reference, tfjs-wasm, tfjs-webgpu (where an
// adapter answers; on CPU machines that is Mesa lavapipe: correctness, not speed).
// ANN_BENCH_EPOCHS overrides the epoch count (e.g. a shortened run); each case then also reports the
// per-epoch time and a clearly labelled linear extrapolation to the seed's 500 epochs.
import { loadavg } from 'node:os';
import { ensureWebGpu } from '@panel-lab/compute';
import { initTfjs } from '@panel-lab/compute-tfjs';
import {
  glorotInit, hiddenNeuronRule, trainBatchedReference, trainBatchedTfjs,
  type BatchedProblem, type BatchedWeights, type TrainConfig, type TrainOutput,
} from '@panel-lab/ann';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { annBenchProblem } from '../fixtures/ann-problem.js';

const webgpu = await ensureWebGpu();

const SIZES: Record<Scale, { members: number; epochs: number; n: number; inputs: number }> = {
  quick: { members: 10, epochs: 20, n: 2457, inputs: 27 },
  seed: { members: 200, epochs: 500, n: 2457, inputs: 27 },
  large: { members: 1000, epochs: 500, n: 2457, inputs: 27 },
};
const SEED_EPOCHS = 500;

const problem = annBenchProblem;

type Engine = 'f64-reference' | 'tfjs-wasm' | 'tfjs-webgpu';

export const suite: BenchSuite = {
  name: 'ann-ensemble',
  description:
    'Seed 002 bootstrap ensemble: B batched MLPs (27 inputs, hidden 8 by the seed rule, n = 2,457, full-batch Adam, sigmoid), each on its own bootstrap resample; f64 TS reference vs tfjs-wasm vs tfjs-webgpu (lavapipe on CPU machines: not a speed figure).',
  cases(scale: Scale): BenchCase[] {
    const size = SIZES[scale];
    const epochs = Number(process.env.ANN_BENCH_EPOCHS ?? size.epochs);
    const hidden = hiddenNeuronRule({ sampleSize: size.n, inputs: size.inputs });
    const cfg: TrainConfig = { epochs, optimizer: 'adam', learningRate: 0.01, activation: 'sigmoid', patience: epochs };
    // ANN_BENCH_ENGINES (comma list) restricts the engines, e.g. to keep lavapipe out of a B=200 CPU run.
    const only = process.env.ANN_BENCH_ENGINES?.split(',');
    const engines = (['f64-reference', 'tfjs-wasm', ...(webgpu.available ? ['tfjs-webgpu' as const] : [])] as Engine[])
      .filter((e) => !only || only.includes(e));
    return engines.map((engine) => {
      const benchCase: BenchCase = {
        name: `B=${size.members} nets, ${epochs} epochs [${engine}]`,
        params: { members: size.members, epochs, n: size.n, inputs: size.inputs, hidden, engine },
        setup: async () => {
          const prob = problem(size.members, size.n, size.inputs);
          const init: BatchedWeights = glorotInit({ inputs: size.inputs, hidden, members: size.members, seed: 7 });
          if (engine === 'f64-reference') {
            benchCase.backend = 'cpu-f64';
            return { prob, init, tf: null };
          }
          const device = engine === 'tfjs-wasm' ? 'wasm' : 'webgpu';
          const handle = await initTfjs({ backend: device });
          benchCase.backend = `tfjs:${handle.backend}`;
          return { prob, init, tf: handle };
        },
        run: async (prepared) => {
          const { prob, init, tf } = prepared as { prob: BatchedProblem; init: BatchedWeights; tf: Awaited<ReturnType<typeof initTfjs>> | null };
          const t0 = process.hrtime.bigint();
          const out: TrainOutput = tf ? await trainBatchedTfjs(tf, prob, init, cfg) : trainBatchedReference(prob, init, cfg);
          const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
          const load = loadavg()[0]!;
          // Shared machine: record its load so the figure can be judged; tfjs-webgpu here is lavapipe (no GPU).
          const context = `1-min load avg ${load.toFixed(1)} during the run; ${engine === 'tfjs-webgpu' ? 'WebGPU = Mesa lavapipe on CPU, not a GPU figure' : 'no GPU machine in this session'}`;
          return {
            requested_backend: engine === 'f64-reference' ? 'cpu-f64' : `tfjs:${engine.slice(5)}`,
            precision: tf ? 32 : 64,
            first_epoch_mean_mse: out.lossHistory[0],
            last_epoch_mean_mse: out.lossHistory[out.lossHistory.length - 1],
            seconds_per_epoch: seconds / out.epochsRun,
            load_average_1m: load,
            ...(epochs !== SEED_EPOCHS ? {
              extrapolated_500_epochs_s: (seconds / out.epochsRun) * SEED_EPOCHS,
              note: `EXTRAPOLATED: ran ${epochs} epochs; 500-epoch time = ${((seconds / out.epochsRun) * SEED_EPOCHS).toFixed(1)} s (linear in epochs); ${context}`,
            } : { note: context }),
            ...(tf?.adapter ? { adapter: JSON.stringify(tf.adapter) } : {}),
          };
        },
      };
      return benchCase;
    });
  },
};
