import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { OKABE_ITO, REFERENCE_COLOR } from '../palette.js';
import { requireFinite, requireNonEmpty } from '../validate.js';
import type { Chart } from '../types.js';

/** One confidence interval of a sensitivity plot: at restriction size x (M or Mbar), or the original CI. */
export interface SensitivityInterval {
  readonly x: number;
  readonly lo: number;
  readonly hi: number;
  /** 'Original' for the unrestricted CI, else the robust method's name (e.g. 'FLCI', 'C-LF'). */
  readonly method: string;
}

export interface SensitivityChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  /** 'M' or 'Mbar' (axis title). */
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Rambachan-Roth sensitivity plot: robust CIs against M or Mbar beside the original CI, with y = 0. */
export function sensitivitySpec(intervals: readonly SensitivityInterval[], opts: SensitivityChartOptions): TopLevelSpec {
  requireNonEmpty(intervals, 'sensitivityChart intervals');
  intervals.forEach((r, i) => {
    requireFinite(r.x, `sensitivityChart interval ${i} x`);
    requireFinite(r.lo, `sensitivityChart interval ${i} lo`);
    requireFinite(r.hi, `sensitivityChart interval ${i} hi`);
  });
  const color = { field: 'method', type: 'nominal', title: 'CI', scale: { range: [...OKABE_ITO] } } as const;
  const x = { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'M', scale: { nice: false, padding: 14 } } as const;
  const yTitle = opts.yTitle ?? 'Confidence interval';
  return {
    title: opts.subtitle ? { text: opts.title, subtitle: opts.subtitle } : opts.title,
    width: opts.width ?? 560,
    height: opts.height ?? 300,
    data: { values: intervals.map((r) => ({ ...r })) },
    layer: [
      { mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [4, 3] }, encoding: { y: { datum: 0 } } },
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' }, color } },
      { mark: { type: 'tick', thickness: 2, size: 10 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, color } },
      { mark: { type: 'tick', thickness: 2, size: 10 }, encoding: { x, y: { field: 'hi', type: 'quantitative' }, color } },
    ],
  } as TopLevelSpec;
}

export function sensitivityChart(intervals: readonly SensitivityInterval[], opts: SensitivityChartOptions): Promise<Chart> {
  return renderSpec(sensitivitySpec(intervals, opts));
}
