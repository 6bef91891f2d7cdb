import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { REFERENCE_COLOR } from '../palette.js';
import { STAGGERED_Y, staggeredLabels } from '../labels.js';
import { requireFinite, requireNonEmpty } from '../validate.js';
import type { Chart } from '../types.js';

/** A yearly mean of one cohort (or any group). */
export interface TrendPoint {
  readonly time: number;
  readonly value: number;
  readonly cohort: string;
}

export interface TrendOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xTitle?: string;
  readonly yTitle: string;
  /** Vertical reference years (e.g. pilot start years), each with a label. */
  readonly referenceTimes?: readonly { readonly time: number; readonly label: string }[];
  /** Legend order of cohorts. */
  readonly cohortOrder?: readonly string[];
  readonly width?: number;
  readonly height?: number;
}

/** Yearly means by cohort as lines with points, reference years as dashed verticals. */
export function trendSpec(points: readonly TrendPoint[], opts: TrendOptions): TopLevelSpec {
  requireNonEmpty(points, 'trendChart points');
  points.forEach((p, i) => {
    requireFinite(p.time, `trendChart point ${i} time`);
    requireFinite(p.value, `trendChart point ${i} value`);
  });
  const x = { field: 'time', type: 'quantitative', title: opts.xTitle ?? 'Year', axis: { format: 'd', tickMinStep: 1 }, scale: { zero: false } } as const;
  const color = { field: 'cohort', type: 'nominal', title: 'Cohort', sort: opts.cohortOrder ? [...opts.cohortOrder] : 'ascending' } as const;
  const layers: unknown[] = [
    {
      data: { values: points },
      layer: [
        { mark: { type: 'line', strokeWidth: 1.8 }, encoding: { x, y: { field: 'value', type: 'quantitative', title: opts.yTitle, scale: { zero: false } }, color } },
        { mark: { type: 'point', filled: true, size: 28 }, encoding: { x, y: { field: 'value', type: 'quantitative', title: opts.yTitle }, color, shape: { ...color } } },
      ],
    },
  ];
  if (opts.referenceTimes && opts.referenceTimes.length > 0) {
    opts.referenceTimes.forEach((r, i) => requireFinite(r.time, `trendChart referenceTimes ${i}`));
    layers.push({
      data: { values: staggeredLabels(opts.referenceTimes) },
      layer: [
        { mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [3, 3] }, encoding: { x: { ...x, field: 'time' } } },
        { mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 10, color: REFERENCE_COLOR }, encoding: { x: { ...x, field: 'time' }, y: STAGGERED_Y, text: { field: 'label' } } },
      ],
    });
  }
  return {
    title: opts.subtitle ? { text: opts.title, subtitle: opts.subtitle } : opts.title,
    width: opts.width ?? 520,
    height: opts.height ?? 280,
    layer: layers,
  } as TopLevelSpec;
}

export function trendChart(points: readonly TrendPoint[], opts: TrendOptions): Promise<Chart> {
  return renderSpec(trendSpec(points, opts));
}
