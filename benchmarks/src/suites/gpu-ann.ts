// ANN bootstrap ensembles at the issue-21 sizes: 1,000 networks on the seed-002 design (n = 2,457, 27 inputs, hidden
// 8, full-batch Adam, sigmoid) and at 100x rows, trained as one batched problem on tfjs-wasm (this machine's CPU
// engine) and tfjs-webgpu. A 3-epoch pilot (also the shader warm-up) sets how many of the 500 epochs fit the time
// share; the 500-epoch time is extrapolated (labelled) when fewer ran. Networks are split into groups whose largest
// tensor ([rows, nets x hidden]) fits the adapter's buffer limit: members train independently, so this is exact.
import { bindingLimitBytes } from '@panel-lab/compute';
import { initTfjs } from '@panel-lab/compute-tfjs';
import { glorotInit, hiddenNeuronRule, trainBatchedTfjs, type BatchedProblem, type TrainConfig } from '@panel-lab/ann';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { annBenchProblem } from '../fixtures/ann-problem.js';
import { achieved, caseDeadline, gpuSize } from '../gpu/step-budget.js';
import { webgpu } from '../gpu/targets.js';

const SIZES = {
  h200: { members: 1000, rowFactors: [1, 100], epochs: 500 },
  rehearse: { members: 16, rowFactors: [1, 2], epochs: 500 },
} as const;
const SEED_ROWS = 2457;
const INPUTS = 27;
const PILOT_EPOCHS = 3;

const problem = annBenchProblem;

type Engine = 'wasm' | 'webgpu';

export const suite: BenchSuite = {
  name: 'gpu-ann',
  description:
    'Seed-002 bootstrap ANN ensemble (B nets, 27 inputs, hidden 8, full-batch Adam lr 0.01, sigmoid) at 1x and 100x the 2,457 rows, batched on tfjs-wasm (CPU) and tfjs-webgpu in the same run. Epochs: as many of 500 as fit the time share after a 3-epoch pilot; extrapolated_500_epochs_s is labelled. Nets in groups whose [rows, nets x hidden] tensor fits the buffer limit. FLOP/s counts 2 x (forward + 2 backward) matMuls per epoch.',
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    const size = gpuSize(scale);
    if (!size) return [];
    const s = SIZES[size];
    const hidden = hiddenNeuronRule({ sampleSize: SEED_ROWS, inputs: INPUTS });
    const engines: Engine[] = ['wasm', ...(webgpu.available ? ['webgpu' as const] : [])];
    const cases: BenchCase[] = [];
    // tfjs has one engine per process: every wasm case before the webgpu ones.
    for (const engine of engines) {
      for (const factor of s.rowFactors) {
        const n = SEED_ROWS * factor;
        const c: BenchCase = {
          name: `B=${s.members} nets, ${n} rows (${factor}x seed 002) [tfjs:${engine}]`,
          params: { members: s.members, rows: n, row_factor: factor, inputs: INPUTS, hidden, engine },
          setup: async () => {
            const tf = await initTfjs({ backend: engine });
            c.backend = `tfjs:${tf.backend}`;
            const limit = engine === 'webgpu' ? bindingLimitBytes(webgpu) : Infinity;
            // Two [rows, nets x hidden] activations live at once: half the limit each.
            const perGroup = Math.max(1, Math.min(s.members, Math.floor(limit / 2 / (4 * n * hidden))));
            const groups: Array<{ prob: BatchedProblem; init: ReturnType<typeof glorotInit> }> = [];
            for (let first = 0; first < s.members; first += perGroup) {
              const m = Math.min(perGroup, s.members - first);
              groups.push({ prob: problem(m, n, INPUTS, first), init: glorotInit({ inputs: INPUTS, hidden, members: m, seed: 7 + first }) });
            }
            const cfg = (epochs: number): TrainConfig => ({ epochs, optimizer: 'adam', learningRate: 0.01, activation: 'sigmoid', patience: epochs });
            const t0 = performance.now();
            for (const g of groups) await trainBatchedTfjs(tf, g.prob, g.init, cfg(PILOT_EPOCHS));
            const pilotPerEpoch = (performance.now() - t0) / 1000 / PILOT_EPOCHS;
            return { tf, groups, cfg, pilotPerEpoch, perGroup };
          },
          run: async (prepared) => {
            const { tf, groups, cfg, pilotPerEpoch, perGroup } = prepared as { tf: Awaited<ReturnType<typeof initTfjs>>; groups: Array<{ prob: BatchedProblem; init: ReturnType<typeof glorotInit> }>; cfg: (e: number) => TrainConfig; pilotPerEpoch: number; perGroup: number };
            const left = cases.length - cases.indexOf(c);
            const budgetS = (caseDeadline(left) - Date.now()) / 1000;
            const epochs = Math.max(PILOT_EPOCHS, Math.min(s.epochs, Math.floor((0.8 * budgetS) / pilotPerEpoch)));
            const t0 = performance.now();
            let first = 0;
            let last = 0;
            for (const g of groups) {
              const out = await trainBatchedTfjs(tf, g.prob, g.init, cfg(epochs));
              first += out.lossHistory[0]! * g.prob.members;
              last += out.lossHistory[out.lossHistory.length - 1]! * g.prob.members;
            }
            const seconds = (performance.now() - t0) / 1000;
            const perEpoch = seconds / epochs;
            const flops = epochs * 3 * 2 * n * INPUTS * hidden * s.members;
            return {
              requested_backend: `tfjs:${engine}`,
              precision: 32,
              ...(tf.adapter ? { adapter: tf.adapter.description, adapter_vendor: tf.adapter.vendor } : {}),
              epochs_run: epochs,
              seconds_per_epoch: perEpoch,
              extrapolated_500_epochs_s: perEpoch * s.epochs,
              full_size_is_extrapolated: epochs < s.epochs,
              nets_per_group: perGroup,
              groups: groups.length,
              first_epoch_mean_mse: first / s.members,
              last_epoch_mean_mse: last / s.members,
              ...achieved(0, flops, seconds),
              note: `${epochs} of ${s.epochs} epochs in ${seconds.toFixed(1)} s (${(perEpoch * 1000).toFixed(1)} ms/epoch)${epochs < s.epochs ? `; 500 epochs EXTRAPOLATED ${(perEpoch * s.epochs).toFixed(1)} s` : ''}; ${groups.length} group(s) of <= ${perGroup} nets`,
            };
          },
        };
        cases.push(c);
      }
    }
    return cases;
  },
};
