import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { OKABE_ITO } from '../palette.js';
import { gaussianKde, histogramBins } from '../kde.js';
import { requireFinite } from '../validate.js';
import type { Chart } from '../types.js';

export interface DensityOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xTitle?: string;
  /** The real (non-placebo) estimate, marked by a vertical rule. */
  readonly actual: number;
  readonly actualLabel?: string;
  /** One p-value per draw (same order): drawn as points on a right-hand axis, as in placebo figures. */
  readonly pValues?: ArrayLike<number>;
  readonly bins?: number;
  /** KDE bandwidth; default Silverman's rule (R bw.nrd0). */
  readonly bandwidth?: number;
  readonly width?: number;
  readonly height?: number;
}

/** Placebo distribution: histogram + Gaussian kernel density of the draws, real estimate marked. */
export function densitySpec(draws: ArrayLike<number>, opts: DensityOptions): TopLevelSpec {
  if (draws.length < 2) throw new Error(`densityChart draws: need at least 2 draws, got ${draws.length}`);
  requireFinite(opts.actual, 'densityChart option actual');
  const bins = histogramBins(draws, opts.bins);
  const kde = gaussianKde(draws, opts.bandwidth === undefined ? {} : { bandwidth: opts.bandwidth });
  const xTitle = opts.xTitle ?? 'Placebo estimate';
  const curve = Array.from(kde.x, (x, i) => ({ x, density: kde.density[i] ?? 0 }));
  const label = opts.actualLabel ?? `Actual estimate = ${opts.actual.toPrecision(3)}`;
  const densityLayers = [
    {
      data: { values: bins },
      mark: { type: 'rect', color: OKABE_ITO[5], opacity: 0.45, stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'start', type: 'quantitative', title: xTitle },
        x2: { field: 'end' },
        y: { field: 'density', type: 'quantitative', title: 'Density' },
      },
    },
    {
      data: { values: curve },
      mark: { type: 'line', color: OKABE_ITO[0], strokeWidth: 2 },
      encoding: { x: { field: 'x', type: 'quantitative', title: xTitle }, y: { field: 'density', type: 'quantitative', title: 'Density' } },
    },
    {
      data: { values: [{ x: opts.actual, label }] },
      layer: [
        { mark: { type: 'rule', color: OKABE_ITO[1], strokeWidth: 2, strokeDash: [6, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        {
          mark: { type: 'text', color: OKABE_ITO[1], align: 'left', dx: 4, dy: 4, baseline: 'top', fontSize: 11 },
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
        },
      ],
    },
  ];
  const layers: unknown[] = [{ layer: densityLayers }];
  if (opts.pValues !== undefined) {
    if (opts.pValues.length !== draws.length) {
      throw new Error(`densityChart option pValues: ${opts.pValues.length} values for ${draws.length} draws`);
    }
    const points = Array.from({ length: draws.length }, (_, i) => ({ x: draws[i] as number, p: opts.pValues?.[i] as number }));
    layers.push({
      data: { values: points },
      mark: { type: 'point', size: 8, opacity: 0.45, color: OKABE_ITO[7] },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: xTitle },
        y: { field: 'p', type: 'quantitative', title: 'p-value', scale: { domain: [0, 1] }, axis: { orient: 'right', grid: false } },
      },
    });
  }
  return {
    title: { text: opts.title, subtitle: opts.subtitle ?? `${draws.length} draws; kernel density, Gaussian, bandwidth ${kde.bandwidth.toPrecision(3)}` },
    width: opts.width ?? 520,
    height: opts.height ?? 280,
    layer: layers,
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

export function densityChart(draws: ArrayLike<number>, opts: DensityOptions): Promise<Chart> {
  return renderSpec(densitySpec(draws, opts));
}
