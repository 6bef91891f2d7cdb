import { z } from 'zod';
import { annVsOls, type AnnVsOlsResult, type MinibatchInfo } from '@panel-lab/ann';
import { SEED002_OUTCOMES } from '@panel-lab/datasets';
import type { Block, Cell } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { DEFAULT_CONDITIONING, DEFAULT_CONTROLS, designFor, focalColumn, networkEngine, seed002Inputs, withConstructedIndex } from './common.js';
import { minibatchNote, networkFields } from './options.js';

export const annVsOlsOptions = analysisObject('ann_vs_ols', {
  outcomes: z.array(z.string().min(1)).min(1).default([...SEED002_OUTCOMES]),
  focal: z.enum(['constructed', 'latent']).default('constructed').describe("focal input: the factor index built from the indicators, or the generator's latent index"),
  conditioning: z.array(z.string().min(1)).default(DEFAULT_CONDITIONING),
  controls: z.array(z.string().min(1)).default(DEFAULT_CONTROLS),
  splits: z.array(z.enum(['rows', 'groups'])).min(1).default(['rows', 'groups']).describe("test split: 'rows' (seed: random city-years) and/or 'groups' (whole cities held out)"),
  testShare: z.number().gt(0).lt(0.5).default(0.1),
  restarts: z.number().int().min(1).default(3),
  select: z.enum(['validation', 'test', 'mean']).default('validation'),
  folds: z.number().int().min(0).max(20).default(5).describe('grouped-by-city K-fold CV (0 = skip)'),
  hiddenSearch: z.boolean().default(false).describe("also try hidden sizes N-2 ... N+2 around the seed's rule and select with `select` (default false, as the library)"),
  ...networkFields,
  caption: z.string().default('Seed 002, Table 2: MSE of the ANN vs traditional econometric estimation (pooled OLS)'),
});

/** Seed 002 Table 2 / METHODS §20: test MSE of the ANN and of pooled OLS on the same split and inputs, plus grouped CV. */
export const annVsOlsHandler = defineHandler({
  estimator: 'ann_vs_ols',
  description: 'ANN vs pooled OLS test MSE and accuracy gain (seed 002 Table 2), row split vs cities held out, grouped CV',
  options: annVsOlsOptions,
  async run(ctx, opts) {
    const { frame } = withConstructedIndex(ctx.frame);
    const inputs = seed002Inputs(focalColumn(opts.focal), opts.conditioning, opts.controls);
    const net = await networkEngine(ctx.backend);
    const rows: Cell[][] = [];
    const results: Record<string, unknown> = {};
    const steps = opts.outcomes.length * opts.splits.length;
    let step = 0;
    let minibatch: MinibatchInfo | null = null;
    for (const [i, outcome] of opts.outcomes.entries()) {
      const design = designFor(frame, inputs, outcome);
      const perSplit: Record<string, AnnVsOlsResult> = {};
      for (const [s, split] of opts.splits.entries()) {
        ctx.progress({ step: `ANN vs OLS ${outcome} (${split} split)`, fraction: step++ / steps });
        // Grouped CV does not depend on the split: run it once per outcome, with the last split.
        const folds = s === opts.splits.length - 1 ? opts.folds : 0;
        const res = await annVsOls(design, {
          seed: ctx.seed + 1000 * i + s, split, testShare: opts.testShare, restarts: opts.restarts, select: opts.select, folds, hiddenSearch: opts.hiddenSearch,
          epochs: opts.epochs, patience: opts.patience, learningRate: opts.learningRate, som: { mode: opts.somMode }, batchRows: opts.batchRows, maxHidden: opts.maxHidden,
          ...(net.engine ? { engine: net.engine } : {}), target: outcome,
        });
        perSplit[split] = res;
        if (res.meta.minibatch) minibatch = res.meta.minibatch;
        const cv = res.cv;
        rows.push([
          outcome, split === 'rows' ? 'random city-years (seed)' : 'whole cities held out', res.nTrain, res.nTest,
          res.test.ols, res.test.ann, 100 * res.test.gain, res.train.ols, res.train.ann,
          cv ? `${fmt(cv.olsMean)} ± ${fmt(cv.olsSd)}` : '', cv ? `${fmt(cv.annMean)} ± ${fmt(cv.annSd)}` : '', cv ? 100 * cv.gainMean : null,
        ]);
      }
      results[outcome] = { ...perSplit, droppedRows: design.droppedRows, nRows: design.n };
    }
    results.meta = { engine: net.label, fallbacks: net.fallbacks, inputs, focal: inputs[0] };
    const losses = rows.filter((r) => typeof r[6] === 'number' && (r[6] as number) < 0).length;
    const blocks: Block[] = [
      {
        kind: 'table',
        id: `${opts.id}-mse`,
        table: {
          title: opts.caption,
          columns: ['outcome', 'test split', 'train rows', 'test rows', 'OLS test MSE', 'ANN test MSE', 'accuracy gain %', 'OLS train MSE', 'ANN train MSE', 'CV OLS MSE (mean ± sd)', 'CV ANN MSE (mean ± sd)', 'CV gain %'],
          rows,
          notes: [
            `Accuracy gain = (MSE_OLS - MSE_ANN) / MSE_OLS x 100 (seed: +65.58 % total, +67.86 % intensity, +56.57 % per capita). Same ${inputs.length} inputs (focal \`${inputs[0]}\`), same training rows; MSE in original units on the untouched test rows (${(100 * opts.testShare).toFixed(0)} %).`,
            `ANN: one hidden layer (seed rule, Eq. 3), tanh, Adam lr ${opts.learningRate}, at most ${opts.epochs} epochs with early stopping (15 % of training units, patience ${opts.patience}), SOM mode \`${opts.somMode}\`, best of ${opts.restarts} restarts chosen by ${opts.select === 'validation' ? 'internal validation loss (recommended; the seed picked on the test set)' : opts.select === 'test' ? 'test MSE (seed-faithful, optimistic)' : 'averaging the restarts'}. Networks ran on ${net.label}${net.fallbacks.length ? ` (fallbacks: ${net.fallbacks.map((f) => `${f.from}: ${f.reason}`).join('; ')})` : ''}.${minibatchNote(minibatch)}`,
            'Split: "random city-years" is the seed\'s row split, so the same city appears in training and test; "whole cities held out" tests on unseen cities. CV: grouped by city, K = ' + opts.folds + ' folds (mean ± sd over folds).',
            losses > 0
              ? `The ANN does not beat OLS in ${losses} of ${rows.length} rows. Our synthetic panel does not reward the network as the seed's data did (seed: +57 % to +68 %); we report what we get rather than tune until it wins.`
              : 'The ANN beats OLS in every row here.',
          ],
        },
      },
    ];
    return { title: opts.title ?? 'Seed 002 Table 2: ANN vs OLS accuracy', blocks, results };
  },
});

const fmt = (v: number) => (Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toExponential(3) : v.toPrecision(4));
