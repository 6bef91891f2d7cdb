import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { REFERENCE_COLOR } from '../palette.js';
import { requireFinite, requireNonEmpty } from '../validate.js';
import type { Chart } from '../types.js';

/** One 2x2 comparison of a Bacon decomposition (or any weighted estimate). */
export interface ScatterPoint {
  readonly weight: number;
  readonly estimate: number;
  /** Comparison type, e.g. 'Earlier vs later treated', 'Treated vs never treated'. */
  readonly type: string;
  readonly label?: string;
}

export interface ScatterOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Overall (TWFE) estimate drawn as a horizontal rule. */
  readonly reference?: number;
  readonly referenceLabel?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Bacon scatter: weight of each 2x2 comparison vs its estimate, coloured by comparison type. */
export function scatterSpec(points: readonly ScatterPoint[], opts: ScatterOptions): TopLevelSpec {
  requireNonEmpty(points, 'scatterChart points');
  points.forEach((p, i) => {
    requireFinite(p.weight, `scatterChart point ${i} weight`);
    requireFinite(p.estimate, `scatterChart point ${i} estimate`);
  });
  const xTitle = opts.xTitle ?? 'Weight';
  const yTitle = opts.yTitle ?? '2x2 DID estimate';
  const layers: unknown[] = [
    {
      data: { values: points },
      mark: { type: 'point', filled: true, size: 60, opacity: 0.85 },
      encoding: {
        x: { field: 'weight', type: 'quantitative', title: xTitle },
        y: { field: 'estimate', type: 'quantitative', title: yTitle },
        color: { field: 'type', type: 'nominal', title: 'Comparison' },
        shape: { field: 'type', type: 'nominal', title: 'Comparison' },
        tooltip: [{ field: 'label' }, { field: 'weight', format: '.4f' }, { field: 'estimate', format: '.4f' }],
      },
    },
  ];
  if (opts.reference !== undefined) {
    requireFinite(opts.reference, 'scatterChart option reference');
    const label = opts.referenceLabel ?? `TWFE estimate = ${opts.reference.toPrecision(3)}`;
    layers.push({
      data: { values: [{ y: opts.reference, label }] },
      layer: [
        { mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [6, 3] }, encoding: { y: { field: 'y', type: 'quantitative', title: yTitle } } },
        {
          mark: { type: 'text', align: 'right', dy: -6, fontSize: 11, color: REFERENCE_COLOR },
          encoding: { y: { field: 'y', type: 'quantitative', title: yTitle }, x: { value: opts.width ?? 480 }, text: { field: 'label' } },
        },
      ],
    });
  }
  return {
    title: opts.subtitle ? { text: opts.title, subtitle: opts.subtitle } : opts.title,
    width: opts.width ?? 480,
    height: opts.height ?? 300,
    layer: layers,
  } as TopLevelSpec;
}

export function scatterChart(points: readonly ScatterPoint[], opts: ScatterOptions): Promise<Chart> {
  return renderSpec(scatterSpec(points, opts));
}
