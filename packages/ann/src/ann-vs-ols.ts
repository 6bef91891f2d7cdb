import { rowMajor, type Design } from './design.js';
import { fitAnnEnsemble, predictMembers, type AnnEnsemble, type EnsembleOptions } from './ensemble.js';
import type { MinibatchInfo } from './mlp-core.js';
import { fitOls, predictOls } from './ols.js';
import { finishResult, type ResultMethods } from './result.js';
import { kFolds, trainTestSplit } from './split.js';

export type ModelSelection = 'validation' | 'test' | 'mean';

export interface AnnVsOlsOptions extends Omit<EnsembleOptions, 'trainRows' | 'resample' | 'members'> {
  /** 'rows' (seed default) or 'groups' (whole cities; recommended). */
  readonly split?: 'rows' | 'groups';
  readonly testShare?: number;
  /** Random restarts R (default 10, METHODS §18.2). */
  readonly restarts?: number;
  /**
   * 'validation' (recommended: restart with the best internal-validation loss), 'test' (seed-faithful:
   * lowest test MSE, optimistic) or 'mean' (average of the restarts).
   */
  readonly select?: ModelSelection;
  /** Grouped K-fold CV folds (0 = skip; default 5). */
  readonly folds?: number;
  /** Also try hidden sizes N−2 … N+2 around the rule (METHODS §18.3) and select with `select` (default false). */
  readonly hiddenSearch?: boolean;
}

interface Mse { readonly ann: number; readonly ols: number; readonly gain: number }

export interface AnnVsOlsData {
  readonly kind: 'ann_vs_ols';
  readonly target: string;
  readonly split: 'rows' | 'groups';
  readonly select: ModelSelection;
  readonly nTrain: number;
  readonly nTest: number;
  readonly test: Mse;
  readonly train: Mse;
  readonly cv: null | { readonly folds: number; readonly annMean: number; readonly annSd: number; readonly olsMean: number; readonly olsSd: number;
    readonly gainMean: number; readonly perFold: readonly Mse[] };
  readonly meta: { readonly engine: string; readonly hidden: readonly number[]; readonly hiddenOffset: number; readonly hiddenSearch: boolean;
    readonly restarts: number; readonly seed: number; readonly droppedRows: number;
    /** Minibatch training of the main split's networks (rows per step), or null when full batch. */
    readonly minibatch: MinibatchInfo | null };
}
export type AnnVsOlsResult = AnnVsOlsData & ResultMethods;

/** METHODS §20 / seed Table 2: test MSE of the ANN and of pooled OLS on the same split and inputs. */
export async function annVsOls(design: Design, opts: AnnVsOlsOptions & { target?: string }): Promise<AnnVsOlsResult> {
  const y = design.y;
  if (!y) throw new Error('annVsOls needs a design with a target y');
  const split = opts.split ?? 'rows';
  if (split === 'groups' && !design.groups) throw new Error("option split 'groups' needs design.groups");
  const select = opts.select ?? 'validation';
  if (select === 'validation' && opts.validationShare === 0) throw new Error("option select 'validation' needs validationShare > 0");
  if (opts.hiddenSearch && select === 'mean') throw new Error("option hiddenSearch needs select 'validation' or 'test'");
  if (opts.hiddenSearch && opts.hidden !== undefined) throw new Error('option hiddenSearch searches around the rule; leave hidden unset');
  const tt = trainTestSplit(design.n, { seed: opts.seed, testShare: opts.testShare ?? 0.1, ...(split === 'groups' ? { groups: design.groups! } : {}) });
  const x = rowMajor(design);
  const p = design.names.length;
  const one = await fitOnce(design, x, p, y, tt.train, tt.test, opts, select);
  let cv: AnnVsOlsData['cv'] = null;
  const K = opts.folds ?? 5;
  if (K > 0) {
    const fold = kFolds(design.n, { k: K, seed: opts.seed + 1, ...(design.groups ? { groups: design.groups } : {}) });
    const perFold: Mse[] = [];
    for (let f = 0; f < K; f++) {
      const trainRows = Int32Array.from(Array.from(fold).flatMap((ff, i) => (ff === f ? [] : [i])));
      const testRows = Int32Array.from(Array.from(fold).flatMap((ff, i) => (ff === f ? [i] : [])));
      perFold.push((await fitOnce(design, x, p, y, trainRows, testRows, { ...opts, seed: opts.seed + 101 * (f + 1) }, select)).test);
    }
    const ms = (a: number[]) => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return [m, Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, a.length - 1))] as const;
    };
    const [annMean, annSd] = ms(perFold.map((m) => m.ann));
    const [olsMean, olsSd] = ms(perFold.map((m) => m.ols));
    cv = { folds: K, annMean, annSd, olsMean, olsSd, gainMean: (olsMean - annMean) / olsMean, perFold };
  }
  return finishResult<AnnVsOlsData>({
    kind: 'ann_vs_ols', target: opts.target ?? 'y', split, select, nTrain: tt.train.length, nTest: tt.test.length,
    test: one.test, train: one.train, cv,
    meta: { engine: one.model.engine, hidden: one.model.experts.map((e) => e.hidden), hiddenOffset: one.hiddenOffset, hiddenSearch: opts.hiddenSearch ?? false,
      restarts: one.model.members, seed: opts.seed, droppedRows: design.droppedRows,
      minibatch: one.model.experts.find((e) => e.minibatch)?.minibatch ?? null },
  }, {
    tidy: (r) => [
      { term: 'test_mse', ann: r.test.ann, ols: r.test.ols, accuracy_gain: r.test.gain },
      { term: 'train_mse', ann: r.train.ann, ols: r.train.ols, accuracy_gain: r.train.gain },
      ...(r.cv ? [{ term: 'cv_mse_mean', ann: r.cv.annMean, ols: r.cv.olsMean, accuracy_gain: r.cv.gainMean },
        { term: 'cv_mse_sd', ann: r.cv.annSd, ols: r.cv.olsSd, accuracy_gain: null }] : []),
    ],
    plotData: (r) => ({ series: [
      { name: 'ann', x: [1, 2], estimate: [r.train.ann, r.test.ann], labels: ['train', 'test'] },
      { name: 'ols', x: [1, 2], estimate: [r.train.ols, r.test.ols], labels: ['train', 'test'] },
    ] }),
  });
}

async function fitOnce(design: Design, x: Float64Array, p: number, y: Float64Array, train: Int32Array, test: Int32Array,
  opts: AnnVsOlsOptions, select: ModelSelection): Promise<{ test: Mse; train: Mse; model: AnnEnsemble; hiddenOffset: number }> {
  const restarts = opts.restarts ?? 10;
  const predict = (model: AnnEnsemble, rows: Int32Array) => {
    const sub = new Float64Array(rows.length * p);
    rows.forEach((i, r) => sub.set(x.subarray(i * p, (i + 1) * p), r * p));
    return predictMembers(model, sub, rows.length);
  };
  const M = restarts;
  const memberMse = (pred: Float64Array, rows: Int32Array, m: number) => rows.reduce((s, i, r) => s + (y[i]! - pred[r * M + m]!) ** 2, 0) / rows.length;
  const meanMse = (pred: Float64Array, rows: Int32Array) => rows.reduce((s, i, r) => {
    let f = 0;
    for (let m = 0; m < M; m++) f += pred[r * M + m]!;
    return s + (y[i]! - f / M) ** 2;
  }, 0) / rows.length;
  // Candidates: (hidden offset, restart); scored on the internal validation loss (summed over experts,
  // weighted by their rows) or, seed-faithfully, on the test MSE.
  let best: { score: number; model: AnnEnsemble; m: number; offset: number; predTest: Float64Array } | undefined;
  for (const offset of opts.hiddenSearch ? [-2, -1, 0, 1, 2] : [0]) {
    const model = await fitAnnEnsemble(design, { ...opts, trainRows: train, members: restarts, resample: 'none', hiddenOffset: offset });
    const predTest = predict(model, test);
    for (let m = 0; m < M; m++) {
      const score = select === 'test' ? memberMse(predTest, test, m) : model.experts.reduce((s, e) => s + e.bestValLoss[m]! * e.trainRows, 0);
      if (!best || score < best.score) best = { score, model, m, offset, predTest };
    }
  }
  const { model, m: bestMember, offset, predTest } = best!;
  const predTrain = predict(model, train);
  const annTest = select === 'mean' ? meanMse(predTest, test) : memberMse(predTest, test, bestMember);
  const annTrain = select === 'mean' ? meanMse(predTrain, train) : memberMse(predTrain, train, bestMember);
  const ols = fitOls(x, p, y, train);
  const mse = (pred: Float64Array, rows: Int32Array) => rows.reduce((s, i, r) => s + (y[i]! - pred[r]!) ** 2, 0) / rows.length;
  const olsTest = mse(predictOls(ols, x, p, test), test);
  const olsTrain = mse(predictOls(ols, x, p, train), train);
  const gain = (o: number, a: number) => (o - a) / o;
  return { test: { ann: annTest, ols: olsTest, gain: gain(olsTest, annTest) }, train: { ann: annTrain, ols: olsTrain, gain: gain(olsTrain, annTrain) }, model, hiddenOffset: offset };
}
