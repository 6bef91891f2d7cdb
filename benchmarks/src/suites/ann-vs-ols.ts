// Seed 002 Table 2 (issue 8): accuracy of the ANN against pooled OLS on the same split and inputs,
// accuracy gain = (MSE_OLS − MSE_ANN)/MSE_OLS, plus grouped K-fold CV mean and sd. Run on a synthetic
// function with a known shape and on the synthetic China panel (three seed-002 outcomes, 27 inputs).
// Timing is secondary; the figures are in each case's extra.
import { createRng } from '@panel-lab/compute';
import { initTfjs } from '@panel-lab/compute-tfjs';
import { annVsOls, designFromFrame, makeDesign, type AnnVsOlsOptions, type Design } from '@panel-lab/ann';
import { DE_INDEX_COLUMN, SEED002_CONDITIONING, SEED002_CONTROLS, SEED002_OUTCOMES, generateChinaPanel } from '@panel-lab/datasets';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';

const SETTINGS: Record<Scale, { epochs: number; restarts: number; folds: number; n: number }> = {
  quick: { epochs: 300, restarts: 1, folds: 2, n: 1000 },
  seed: { epochs: 1000, restarts: 2, folds: 5, n: 2457 },
  large: { epochs: 5000, restarts: 10, folds: 5, n: 2457 },
};

/** y = sin(3 x1) + x2² + 0.1 ε on U(−1,1)², 9 rows per group (a city-year layout). */
function sinSquare(n: number): Design {
  const rng = createRng(2002);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = 2 * rng.uniform() - 1;
    const b = 2 * rng.uniform() - 1;
    x[i] = a;
    x[n + i] = b;
    y[i] = Math.sin(3 * a) + b * b + 0.1 * rng.normal();
  }
  return makeDesign({ x, n, names: ['x1', 'x2'], y, groups: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 9)) });
}

function accuracyCase(name: string, design: () => Design, opts: Omit<AnnVsOlsOptions, 'engine'>): BenchCase {
  const benchCase: BenchCase = {
    name,
    params: { split: opts.split ?? 'rows', restarts: opts.restarts ?? 10, epochs: opts.epochs ?? 5000, folds: opts.folds ?? 5, som: opts.som?.mode ?? 'experts' },
    setup: async () => {
      const engine = await initTfjs({ backend: 'wasm' });
      benchCase.backend = `tfjs:${engine.backend}`;
      return { engine, d: design() };
    },
    run: async (prepared) => {
      const { engine, d } = prepared as { engine: Awaited<ReturnType<typeof initTfjs>>; d: Design };
      const r = await annVsOls(d, { ...opts, engine });
      return {
        requested_backend: 'tfjs:wasm',
        n: d.n, inputs: d.names.length, dropped_rows: d.droppedRows, hidden: r.meta.hidden.join('/'), select: r.select,
        test_mse_ann: r.test.ann, test_mse_ols: r.test.ols, accuracy_gain_test: r.test.gain,
        train_mse_ann: r.train.ann, train_mse_ols: r.train.ols,
        ...(r.cv ? { cv_folds: r.cv.folds, cv_mse_ann_mean: r.cv.annMean, cv_mse_ann_sd: r.cv.annSd, cv_mse_ols_mean: r.cv.olsMean, cv_mse_ols_sd: r.cv.olsSd, cv_gain_mean: r.cv.gainMean } : {}),
        note: `test gain ${(100 * r.test.gain).toFixed(1)}% (ANN ${r.test.ann.toPrecision(4)} vs OLS ${r.test.ols.toPrecision(4)})${r.cv ? `; CV gain ${(100 * r.cv.gainMean).toFixed(1)}%` : ''}`,
      };
    },
  };
  return benchCase;
}

export const suite: BenchSuite = {
  name: 'ann-vs-ols',
  description:
    'Seed 002 Table 2: test MSE of the ANN (tfjs-wasm, restart chosen on internal validation) vs pooled OLS on the same split and inputs, accuracy gain, grouped K-fold CV; on y = sin(3 x1) + x2² + noise and on the synthetic China panel.',
  cases(scale: Scale): BenchCase[] {
    const s = SETTINGS[scale];
    const common = { seed: 2002, restarts: s.restarts, epochs: s.epochs, folds: s.folds, learningRate: 0.01, patience: 100 } as const;
    const cases = [
      accuracyCase(`sin(3x1)+x2^2, n=${s.n}, split by group`, () => sinSquare(s.n), { ...common, split: 'groups', som: { mode: 'none' }, hidden: 10 }),
    ];
    const inputs = [DE_INDEX_COLUMN, ...SEED002_CONDITIONING, ...SEED002_CONTROLS];
    const panelDesign = (outcome: string) => () => designFromFrame(generateChinaPanel({ seed: 2002 }).frame, { inputs, target: outcome });
    for (const outcome of SEED002_OUTCOMES) {
      // recommended: whole cities held out, one network per SOM cluster
      cases.push(accuracyCase(`China panel ${outcome}, split by city, SOM experts`, panelDesign(outcome), { ...common, split: 'groups' }));
      // seed-like: random city-year rows held out (a city sits on both sides), one plain network
      cases.push(accuracyCase(`China panel ${outcome}, split by rows, no SOM`, panelDesign(outcome), { ...common, split: 'rows', som: { mode: 'none' } }));
    }
    return cases;
  },
};
