import { z } from 'zod';
import { annBootstrapNetEffect, DEFAULT_PD_ROWS, subgroupFromFrame, type NetEffectResult, type SubgroupSpec } from '@panel-lab/ann';
import { CITY_ATTRIBUTES, DE_INDEX_COLUMN, SEED002_OUTCOMES, TREATMENT } from '@panel-lab/datasets';
import { heatmapChart, lineBandChart, type Block, type Cell, type ComparisonRow, type Series } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { groundTruth } from '../truth.js';
import { DEFAULT_CONDITIONING, DEFAULT_CONTROLS, designFor, focalColumn, networkEngine, outcomeLabel, PANEL, seed002Inputs, withConstructedIndex } from './common.js';
import { minibatchNote, networkFields } from './options.js';
import { subgroupBlocks, SUBGROUP_FIGURES } from './subgroups.js';
import { trueCurveOnGrid } from './truth-curve.js';

export const netEffectOptions = analysisObject('ann_net_effect', {
  outcomes: z.array(z.string().min(1)).min(1).default([...SEED002_OUTCOMES]),
  focal: z.enum(['constructed', 'latent']).default('constructed'),
  conditioning: z.array(z.string().min(1)).default(DEFAULT_CONDITIONING),
  controls: z.array(z.string().min(1)).default(DEFAULT_CONTROLS),
  replicates: z.number().int().min(2).default(200).describe('bootstrap replicates B (networks per outcome, trained as one batch)'),
  resample: z.enum(['groups', 'rows']).default('groups').describe("bootstrap units: whole cities (cluster bootstrap, recommended) or city-years (seed-like)"),
  gridPoints: z.number().int().min(3).default(50),
  surfaceGridPoints: z.number().int().min(3).default(30),
  surfaceRows: z.number().int().min(10).default(400).describe('rows averaged per surface cell (seeded subsample)'),
  pdRows: z.number().int().min(10).default(DEFAULT_PD_ROWS).describe(`rows averaged by the net-effect curve and by each subgroup curve: a seeded subsample without replacement when there are more (PD costs rows x grid x networks x hidden units), all rows otherwise (the seed panel at the default ${DEFAULT_PD_ROWS})`),
  surfaces: z.boolean().default(true).describe('Figs 8-11: conditional surfaces over (DE index x each conditioning variable)'),
  subgroups: z.boolean().default(true).describe('Figs 5-7: city size, administrative rank, digital-economy pilot zone'),
  ...networkFields,
  gridRange: z.enum(['percentile', 'minmax']).default('percentile').describe("curve grid over the focal input: 1st-99th percentiles (default, as the library) or min-max"),
  method: z.enum(['pd', 'at_means']).default('pd').describe("'pd' partial dependence (default, as the library) or 'at_means' (other inputs at their means)"),
  effect: z.enum(['pd', 'ale']).default('pd').describe("'pd' (default, as the library) or 'ale' accumulated local effects"),
  referenceIndex: z.number().int().min(0).default(0).describe('grid index of the reference level for the significance of the change (default 0, the lowest point, as the library)'),
  alpha: z.number().gt(0).lt(1).default(0.05).describe('level of the percentile bands (default 0.05, as the library)'),
  figure: z.string().default('Seed 002'),
});

/** One annBootstrapNetEffect per outcome, shared by Fig. 4 (curve), Figs 5-7 (subgroups) and Figs 8-11 (surfaces). */
export const netEffectHandler = defineHandler({
  estimator: 'ann_net_effect',
  description: 'bootstrap ANN net effect of the DE index ("RAB" per seed 002): PD curve, slope, turning points, subgroups, conditional surfaces',
  options: netEffectOptions,
  async run(ctx, opts) {
    const { frame } = withConstructedIndex(ctx.frame);
    const focal = focalColumn(opts.focal);
    const inputs = seed002Inputs(focal, opts.conditioning, opts.controls);
    const net = await networkEngine(ctx.backend);
    const truth = groundTruth(ctx.truth);
    const curveBlocks: Block[] = [];
    const surfaceBlocks: Block[] = [];
    const summary: Cell[][] = [];
    const comparisons: ComparisonRow[] = [];
    const fits: { outcome: string; res: NetEffectResult }[] = [];
    const results: Record<string, unknown> = {};
    const xTitle = focal === DE_INDEX_COLUMN ? 'latent DE index (generator)' : 'DE index (factor analysis, 0-1)';
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `ANN net effect ${outcome}: ${opts.replicates} networks`, fraction: i / opts.outcomes.length });
      const design = designFor(frame, inputs, outcome);
      const subgroups: SubgroupSpec[] = opts.subgroups
        ? [
            mergeSizeClasses(subgroupFromFrame(frame, design, CITY_ATTRIBUTES.sizeClass)),
            subgroupFromFrame(frame, design, CITY_ATTRIBUTES.firstTier, (v) => (v > 0 ? 'first tier' : 'other')),
            subgroupFromFrame(frame, design, TREATMENT.digitalPilotYear, (v) => (v > 0 ? 'pilot zone' : 'non-pilot')),
          ]
        : [];
      const res = await annBootstrapNetEffect(design, {
        focal, seed: ctx.seed + 7919 * i, replicates: opts.replicates, resample: opts.resample,
        epochs: opts.epochs, patience: opts.patience, learningRate: opts.learningRate, som: { mode: opts.somMode },
        batchRows: opts.batchRows, maxHidden: opts.maxHidden, pdRows: opts.pdRows, gridPoints: opts.gridPoints, conditioning: opts.surfaces ? opts.conditioning : [],
        surfaceGridPoints: opts.surfaceGridPoints, surfaceRows: opts.surfaceRows, subgroups,
        gridRange: opts.gridRange, method: opts.method, effect: opts.effect, referenceIndex: opts.referenceIndex, alpha: opts.alpha,
        ...(net.engine ? { engine: net.engine } : {}),
        // Within an outcome: training up to 70 %, the curve's grid points up to 90 %, then surfaces.
        onEpoch: (done, total) => ctx.progress({ step: `ANN net effect ${outcome}: training ${opts.replicates} networks, epochs`, fraction: (i + (0.7 * done) / total) / opts.outcomes.length, done, total }),
        onGridPoint: (done, total) => ctx.progress({ step: `ANN net effect ${outcome}: partial dependence, grid points`, fraction: (i + 0.7 + (0.2 * done) / total) / opts.outcomes.length, done, total }),
      });
      fits.push({ outcome, res });
      results[outcome] = res;
      const label = outcomeLabel(outcome);
      const trueCurve = truth ? trueCurveOnGrid(truth, outcome, focal, frame, res.grid) : null;
      const series: Series[] = [
        { name: 'ANN (bootstrap mean)', points: res.grid.map((x, k) => ({ x, estimate: res.curve.estimate[k]!, lo: res.curve.lo[k]!, hi: res.curve.hi[k]! })) },
      ];
      if (trueCurve) series.push({ name: focal === DE_INDEX_COLUMN ? 'truth' : 'truth (quantile-matched)', points: res.grid.map((x, k) => ({ x, estimate: trueCurve.values[k]! })) });
      const markers = [
        ...res.turningPoints.map((t) => ({ x: t.x, label: `turning point (${t.kind}) ${t.x.toFixed(2)}` })),
        ...(res.change.significantFrom !== null ? [{ x: res.change.significantFrom, label: `change significant from ${res.change.significantFrom.toFixed(2)}` }] : []),
      ];
      const chart = await lineBandChart(series, { title: `Net effect of the DE index on ${label}`, subtitle: `Shaded: 95% bootstrap percentile band (${res.meta.resample} resampling, ${net.label})`, xTitle, yTitle: label, markers });
      curveBlocks.push({ kind: 'figure', id: `${opts.id}-${outcome}-curve`, caption: `${opts.figure}, Fig. 4 (${PANEL[outcome] ?? outcome}): net effect (partial dependence) of the DE index on ${label}, mean of ${opts.replicates} bootstrap networks with 95% percentile band${trueCurve ? `; second line: ${trueCurve.label}` : ''}. Markers: turning points of the mean slope and where the change from the lowest grid point becomes significant.`, svg: chart.svg, spec: chart.spec });
      const slopeChart = await lineBandChart(
        [{ name: 'slope', points: res.grid.map((x, k) => ({ x, estimate: res.slope.estimate[k]!, lo: res.slope.lo[k]!, hi: res.slope.hi[k]! })) }],
        { title: `Slope of the net effect on ${label}`, xTitle, yTitle: `d ${label} / d index`, zeroLine: true },
      );
      curveBlocks.push({ kind: 'figure', id: `${opts.id}-${outcome}-slope`, caption: `${opts.figure}, Fig. 4 (${PANEL[outcome] ?? outcome}) dynamic slope: central differences of each bootstrap curve, mean and 95% percentile band; sign changes are turning points.`, svg: slopeChart.svg, spec: slopeChart.spec });
      const K = res.grid.length;
      summary.push([
        outcome, res.curve.estimate[0]!, res.curve.estimate[K - 1]!, res.change.estimate[K - 1]!, res.change.lo[K - 1]!, res.change.hi[K - 1]!,
        res.turningPoints.length ? res.turningPoints.map((t) => `${t.kind} ${t.x.toFixed(3)} [${t.lo.toFixed(2)}, ${t.hi.toFixed(2)}], share ${t.bootstrapShare.toFixed(2)}`).join('; ') : 'none',
        res.shareWithTurningPoint, res.change.significantFrom,
        res.meta.experts.map((e) => e.epochsRun).join('/'),
      ]);
      if (trueCurve) {
        for (const q of [0.1, 0.3, 0.5, 0.7, 0.9]) {
          const k = Math.round(q * (K - 1));
          comparisons.push({ quantity: `${outcome} at index ${res.grid[k]!.toFixed(3)}`, estimate: res.curve.estimate[k]!, truth: trueCurve.values[k]!, std_error: res.curve.sd[k]!, conf_low: res.curve.lo[k]!, conf_high: res.curve.hi[k]! });
        }
      }
      for (const s of res.surfaces) {
        const fig = SURFACE_FIGURES[s.conditioning] ?? 'conditional surface';
        const hm = await heatmapChart({ x: s.x, y: s.c, z: s.z }, { title: `${label}: DE index x ${s.conditioning}`, xTitle, yTitle: s.conditioning, zTitle: label, levels: s.contourLevels });
        surfaceBlocks.push({ kind: 'figure', id: `${opts.id}-${outcome}-surface-${s.conditioning}`, caption: `${opts.figure}, ${fig} (${PANEL[outcome] ?? outcome}): ${label} over the DE index and ${s.conditioning}, ensemble-mean 2-D partial dependence on a ${s.x.length} x ${s.c.length} grid (1st-99th percentiles; ${s.rowsUsed} rows averaged per cell), contours at 10 quantiles of the surface.`, svg: hm.svg, spec: hm.spec });
      }
    }
    const blocks: Block[] = [
      {
        kind: 'table',
        id: `${opts.id}-summary`,
        table: {
          title: `${opts.figure}, Fig. 4: net effect of the DE index, summary`,
          columns: ['outcome', 'PD at lowest grid point', 'PD at highest', 'change low -> high', 'change CI low', 'change CI high', 'turning points [95% CI], bootstrap share', 'share of nets with a turning point', 'change significant from', 'epochs run'],
          rows: summary,
          notes: [
            `Procedure labelled "RAB" by seed 002 (the label matches no published algorithm; METHODS §19): ${opts.replicates} bootstrap replicates (${opts.resample === 'groups' ? 'whole cities resampled' : 'city-years resampled'}), one network each, trained as one batch on ${net.label}${net.fallbacks.length ? ` (fallbacks: ${net.fallbacks.map((f) => `${f.from}: ${f.reason}`).join('; ')})` : ''}; ${inputs.length} inputs, focal \`${focal}\`; ${[...new Set(fits.flatMap((f) => f.res.meta.experts.map((e) => e.hidden)))].join('/')} hidden units (seed rule, capped at ${opts.maxHidden}); SOM mode \`${opts.somMode}\`; Adam lr ${opts.learningRate}, at most ${opts.epochs} epochs, early stopping on 15 % held-out units (patience ${opts.patience}).`,
            'Partial dependence over 50 grid points between the 1st and 99th percentiles of the index; change = PD_b(x) - PD_b(lowest grid point), significant where its 95% percentile band excludes 0 ("significant from" = the start of the final significant stretch).'
              + scaleNote(fits.map((f) => f.res)),
          ],
        },
      },
      ...curveBlocks,
    ];
    if (comparisons.length) {
      blocks.push({
        kind: 'comparison', id: `${opts.id}-truth`, title: 'Seed 002 Fig. 4: ANN net effect vs the true partial dependence', rows: comparisons,
        notes: [focal === DE_INDEX_COLUMN
          ? 'The truth is the exact partial dependence of the generator on its latent DE index.'
          : 'The truth is defined on the generator\'s latent DE index; it is shown at the latent value with the same quantile as the constructed index (quantile matching). The constructed index is a noisy proxy and the other inputs carry part of the latent index, so the network\'s curve on the proxy is expected to be flatter than the truth.'],
      });
    }
    if (opts.subgroups) blocks.push(...(await subgroupBlocks(fits, { id: opts.id, figure: opts.figure, xTitle, replicates: opts.replicates })));
    blocks.push(...surfaceBlocks);
    results.meta = { engine: net.label, fallbacks: net.fallbacks, inputs, focal, subgroupFigures: SUBGROUP_FIGURES };
    return { title: opts.title ?? 'Seed 002 Figs 4-11: ANN net effects', blocks, results };
  },
});

/** What changes above the seed's scale: minibatch training and PD over a row subsample ('' at the seed's scale, where neither applies). */
function scaleNote(results: readonly NetEffectResult[]): string {
  const capped = results.filter((r) => r.meta.pdRows < r.meta.nRows);
  const pd = capped.length
    ? ` The curves average over a seeded subsample of ${capped[0]!.meta.pdRows} of the ${capped.map((r) => r.meta.nRows).join('/')} rows (and subgroup curves and fitted values over at most that many of each subgroup's rows).`
    : '';
  return minibatchNote(results.find((r) => r.meta.minibatch)?.meta.minibatch) + pd;
}

/** The seed (METHODS §19.3) pools super-large and mega cities (>= 5 m urban residents) into one group. */
function mergeSizeClasses(spec: SubgroupSpec): SubgroupSpec {
  const merge = (l: string) => (l === 'super-large' || l === 'mega' ? 'super/mega' : l);
  return { variable: spec.variable, labels: spec.labels.map(merge) };
}

const SURFACE_FIGURES: Record<string, string> = { gdp_pc: 'Fig. 8', fdi_pc: 'Fig. 9', innovation: 'Fig. 10', tech_attention: 'Fig. 11' };
