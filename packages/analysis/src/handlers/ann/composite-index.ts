import { z } from 'zod';
import { entropyIndex } from '@panel-lab/ann';
import { DE_INDEX_COLUMN, SEED002_INDICATORS } from '@panel-lab/datasets';
import type { Block, Cell } from '@panel-lab/report';
import type { PanelFrame } from '@panel-lab/panel';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { AnalysisInputError } from '../../failure.js';
import { CONSTRUCTED_INDEX, withConstructedIndex } from './common.js';
import { dataTable, type DataTable } from '../../results/tables.js';

export const compositeIndexOptions = analysisObject('de_index_construction', {
  indicators: z.array(z.string().min(1)).min(2).default([...SEED002_INDICATORS]),
  nFactors: z.number().int().min(1).optional().describe('factors retained (default Kaiser: eigenvalue > 1, at least 1, as the library)'),
  rotate: z.boolean().default(true).describe('varimax with Kaiser normalisation (default true, as the library; skipped with one factor)'),
  extraction: z.enum(['principal_components', 'principal_axis']).default('principal_components').describe("'principal_components' (default, as the library: SPSS / psych::principal) or 'principal_axis' (psych::fa fm = 'pa')"),
  tolerance: z.number().positive().optional().describe('principal_axis: stop when the communalities change by less (library default 0.001)'),
  maxIter: z.number().int().min(1).optional().describe('principal_axis: iteration cap (library default 50)'),
  entropyNegative: z.array(z.string().min(1)).default([]).describe('entropy index: indicators for which larger is worse (default none)'),
  entropyShift: z.number().min(0).optional().describe('entropy index: added to the normalised indicators before the entropies (library default 1e-4, METHODS §17.2)'),
  entropyByPeriod: z.boolean().default(false).describe('entropy index: weights computed period by period (needs the time column; default pooled, as the library)'),
  caption: z.string().default('Seed 002, §1.2: digital-economy index from five indicators'),
});

const fmtPct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Seed 002 §1.2 / METHODS §17: factor-analysis composite (KMO, Bartlett, loadings, weights) with entropy weights alongside. */
export const compositeIndexHandler = defineHandler({
  estimator: 'de_index_construction',
  description: 'digital-economy composite index: factor analysis (KMO, Bartlett, varimax loadings, weights) and entropy weights',
  options: compositeIndexOptions,
  needsTime: false,
  async run(ctx, opts) {
    const { frame, fa, missingRows } = withConstructedIndex(ctx.frame, opts.indicators, {
      rotate: opts.rotate,
      extraction: opts.extraction,
      ...(opts.nFactors !== undefined ? { nFactors: opts.nFactors } : {}),
      ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}),
      ...(opts.maxIter !== undefined ? { maxIter: opts.maxIter } : {}),
    });
    const complete = fa.index.length;
    const x = new Float64Array(complete * opts.indicators.length);
    const idx = frame.numeric(CONSTRUCTED_INDEX);
    const rows: number[] = [];
    for (let i = 0; i < frame.nrows; i++) if (Number.isFinite(idx[i]!)) rows.push(i);
    opts.indicators.forEach((name, j) => {
      const c = frame.numeric(name);
      rows.forEach((src, i) => { x[j * complete + i] = c[src]!; });
    });
    if (opts.entropyByPeriod && ctx.crossSection) throw new AnalysisInputError('option entropyByPeriod needs a time dimension, but the dataset is a cross-section (no dataset.time): set dataset.time or leave entropyByPeriod false');
    const byPeriod = opts.entropyByPeriod ? periodCodes(frame, rows) : undefined;
    const ent = entropyIndex({ x, n: complete, names: opts.indicators }, { negative: opts.entropyNegative, ...(opts.entropyShift !== undefined ? { shift: opts.entropyShift } : {}), ...(byPeriod ? { byPeriod } : {}) });
    const m = fa.nFactors;
    const tableRows: Cell[][] = opts.indicators.map((name, j) => [
      name,
      ...fa.rotatedLoadings[j]!.slice(0, m),
      fa.communalities[j]!,
      fa.kmoPerIndicator[j]!,
      ...fa.scoreCoefficients[j]!.slice(0, m),
      ent.weights[j]!,
    ]);
    const factorCols = Array.from({ length: m }, (_, k) => `loading F${k + 1}`);
    const coefCols = Array.from({ length: m }, (_, k) => `score coef F${k + 1}`);
    const blocks: Block[] = [
      {
        kind: 'table',
        id: `${opts.id}-loadings`,
        table: {
          title: `${opts.caption}: factor analysis and entropy weights`,
          columns: ['indicator', ...factorCols, 'communality', 'KMO (indicator)', ...coefCols, 'entropy weight'],
          rows: tableRows,
          notes: [
            `Pooled city-years (n = ${complete}; ${missingRows} rows without all indicators get no index and are counted as dropped downstream). Principal-component extraction on the correlation matrix, ${m} factor(s) retained by Kaiser (eigenvalue > 1)${m > 1 ? ', varimax rotation with Kaiser normalisation' : ' (no rotation with one factor)'}, regression (Thomson) scores, weights = variance shares, min-max to [0, 1].`,
            `KMO = ${fa.kmo.toFixed(3)} (> 0.6 customary); Bartlett sphericity chi2 = ${fa.bartlett.chi2.toFixed(1)}, df = ${fa.bartlett.df}, p = ${fa.bartlett.pValue.toExponential(2)}.`,
            `Eigenvalues ${fa.eigenvalues.map((v) => v.toFixed(3)).join(', ')}; variance explained (unrotated) ${fa.varianceExplained.map(fmtPct).join(', ')}; rotated ${fa.rotatedVarianceExplained.map(fmtPct).join(', ')}; factor weights ${fa.factorWeights.map((v) => v.toFixed(3)).join(', ')}.`,
            'Entropy weights (METHODS §17.2, pooled) are shown alongside; the factor index is the focal input of the networks (column `de_index_fa`).',
            `${m > 1 && fa.rotation.length > 1 ? `Varimax rotation matrix T (rotated = unrotated loadings x T): ${fa.rotation.map((r) => `[${r.map((v) => v.toFixed(4)).join(', ')}]`).join(', ')}. ` : ''}Beside the regression-score composite, the unrotated PC-score composite (first ${m} principal-component scores weighted by eigenvalue shares ${fa.pcWeights.map((v) => v.toFixed(3)).join(', ')}, min-max to [0, 1]) has Spearman ${spearman(fa.index, fa.pcIndex).toFixed(3)} with it; all eigenvectors, sdev-scaled loadings, PC scores and per-row factor scores are in the results (\`factor\`).`,
          ],
        },
      },
    ];
    const results: Record<string, unknown> = { factor: fa, entropy: { weights: ent.weights, entropy: ent.entropy, n: ent.n, index: ent.index }, droppedRows: missingRows };
    // the index values per row (unit and period named), the factor, PC-score and entropy composites side by side
    const unitCodes = frame.codes(frame.schema.unit);
    const timeValues = frame.numeric(frame.schema.time);
    const tables: Record<string, DataTable> = {
      index: dataTable('one row with all indicators: its composite index values', {
        unit: rows.map((i) => unitCodes.levels[unitCodes.codes[i]!] ?? null),
        ...(ctx.crossSection ? {} : { time: rows.map((i) => timeValues[i]!) }),
        factor_index: fa.index,
        pc_index: fa.pcIndex,
        entropy_index: ent.index,
      }),
    };
    // On synthetic data, say how well the constructed index tracks the latent DE index the DGP uses.
    if (hasColumn(frame, DE_INDEX_COLUMN)) {
      const lat = frame.numeric(DE_INDEX_COLUMN);
      const a = rows.map((i) => idx[i]!);
      const b = rows.map((i) => lat[i]!);
      const entIdx = Array.from(ent.index);
      const rFa = spearman(a, b);
      const rEnt = spearman(entIdx, b);
      results.latentRankCorrelation = { factor: rFa, entropy: rEnt };
      blocks.push({
        kind: 'text',
        paragraphs: [
          `Synthetic panel check: Spearman rank correlation with the latent DE index of the generator (\`${DE_INDEX_COLUMN}\`): factor index ${rFa.toFixed(3)}, entropy index ${rEnt.toFixed(3)}. The indicators are noisy functions of the latent index, so the constructed index is a proxy, not the latent index itself.`,
        ],
      });
    }
    return { title: opts.title ?? 'Seed 002: digital-economy index', blocks, results, tables };
  },
});

/** Period code (0..T-1) of each index row, for entropy weights by period. */
function periodCodes(frame: PanelFrame, rows: readonly number[]): Int32Array {
  const codes = frame.codes(frame.schema.time).codes;
  return Int32Array.from(rows, (i) => codes[i]!);
}

function hasColumn(frame: PanelFrame, name: string): boolean {
  return frame.table.schema.fields.some((f) => f.name === name);
}

function ranks(v: readonly number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(v.length);
  order.forEach(([, i], k) => { r[i] = k; });
  return r;
}

function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const m = (n - 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i]! - m) * (rb[i]! - m);
    saa += (ra[i]! - m) ** 2;
    sbb += (rb[i]! - m) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
