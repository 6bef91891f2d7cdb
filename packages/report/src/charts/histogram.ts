import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { requireFinite, requireNonEmpty } from '../validate.js';
import type { Chart } from '../types.js';

/** One propensity score (or any value) with its group and panel (e.g. before/after matching). */
export interface HistogramValue {
  readonly value: number;
  readonly group: string;
  readonly panel?: string;
}

export interface HistogramOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xTitle?: string;
  /** Bin width (default: 20 bins over the data range). */
  readonly step?: number;
  /** Fix the x range, e.g. [0, 1] for propensity scores. */
  readonly extent?: readonly [number, number];
  /** Panel order, e.g. ['Before matching', 'After matching']. */
  readonly panelOrder?: readonly string[];
  /** 'density' (default, comparable across groups of different size) or 'count'. */
  readonly yScale?: 'density' | 'count';
  readonly width?: number;
  readonly height?: number;
}

/** Overlaid histograms by group, one facet per panel (propensity scores before/after matching). */
export function histogramSpec(values: readonly HistogramValue[], opts: HistogramOptions): TopLevelSpec {
  requireNonEmpty(values, 'histogramChart values');
  let min = Infinity;
  let max = -Infinity;
  values.forEach((v, i) => {
    requireFinite(v.value, `histogramChart value ${i}`);
    min = Math.min(min, v.value);
    max = Math.max(max, v.value);
  });
  const [lo, hi] = opts.extent ?? [min, max > min ? max : min + 1];
  if (min < lo || max > hi) {
    // Values outside the bins would vanish from the plot: refuse rather than drop them silently.
    throw new Error(`histogramChart option extent [${lo}, ${hi}] excludes values in [${min}, ${max}]`);
  }
  const step = opts.step ?? (hi - lo) / 20;
  if (!(step > 0)) throw new Error(`histogramChart option step must be positive, got ${step}`);
  const rows = values.map((v) => ({ value: v.value, group: v.group, panel: v.panel ?? '' }));
  const density = (opts.yScale ?? 'density') === 'density';
  const panels = [...new Set(rows.map((r) => r.panel))];
  const inner = {
    width: opts.width ?? (panels.length > 1 ? 280 : 480),
    height: opts.height ?? 220,
    transform: [
      { bin: { step, extent: [lo, hi] }, field: 'value', as: ['bin_start', 'bin_end'] },
      { aggregate: [{ op: 'count', as: 'count' }], groupby: ['panel', 'group', 'bin_start', 'bin_end'] },
      { joinaggregate: [{ op: 'sum', field: 'count', as: 'group_n' }], groupby: ['panel', 'group'] },
      { calculate: `datum.count / (datum.group_n * ${step})`, as: 'density' },
    ],
    mark: { type: 'rect', opacity: 0.55, stroke: 'white', strokeWidth: 0.4 },
    encoding: {
      x: { field: 'bin_start', type: 'quantitative', title: opts.xTitle ?? 'Propensity score', scale: { domain: [lo, hi] } },
      x2: { field: 'bin_end' },
      y: { field: density ? 'density' : 'count', type: 'quantitative', title: density ? 'Density' : 'Count', stack: null },
      color: { field: 'group', type: 'nominal', title: 'Group' },
    },
  };
  const title = opts.subtitle ? { text: opts.title, subtitle: opts.subtitle } : opts.title;
  if (panels.length <= 1) return { title, data: { values: rows }, ...inner } as TopLevelSpec;
  return {
    title,
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: opts.panelOrder ? [...opts.panelOrder] : 'ascending' } },
    spec: inner,
  } as TopLevelSpec;
}

export function histogramChart(values: readonly HistogramValue[], opts: HistogramOptions): Promise<Chart> {
  return renderSpec(histogramSpec(values, opts));
}
