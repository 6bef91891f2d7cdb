import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { requireFinite, requireNonEmpty } from '../validate.js';
import type { Chart } from '../types.js';

export interface BoxplotValue {
  readonly group: string;
  readonly value: number;
}

export interface BoxplotOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xTitle?: string;
  readonly yTitle: string;
  readonly groupOrder?: readonly string[];
  readonly width?: number;
  readonly height?: number;
}

/** Tukey box plots by subgroup (whiskers at 1.5 IQR, outliers as points), as R's boxplot(). */
export function boxplotSpec(values: readonly BoxplotValue[], opts: BoxplotOptions): TopLevelSpec {
  requireNonEmpty(values, 'boxplotChart values');
  values.forEach((v, i) => requireFinite(v.value, `boxplotChart value ${i} (group '${v.group}')`));
  const groups = new Set(values.map((v) => v.group));
  const sort = opts.groupOrder ? [...opts.groupOrder] : 'ascending';
  return {
    title: opts.subtitle ? { text: opts.title, subtitle: opts.subtitle } : opts.title,
    width: opts.width ?? Math.max(240, 90 * groups.size),
    height: opts.height ?? 280,
    data: { values },
    mark: { type: 'boxplot', extent: 1.5, size: 36, median: { color: 'black' }, outliers: { size: 10, opacity: 0.5 } },
    encoding: {
      x: { field: 'group', type: 'nominal', title: opts.xTitle ?? null, sort, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: opts.yTitle, scale: { zero: false } },
      color: { field: 'group', type: 'nominal', legend: null, sort },
    },
  } as TopLevelSpec;
}

export function boxplotChart(values: readonly BoxplotValue[], opts: BoxplotOptions): Promise<Chart> {
  return renderSpec(boxplotSpec(values, opts));
}
