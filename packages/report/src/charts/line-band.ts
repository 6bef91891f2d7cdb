import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { REFERENCE_COLOR } from '../palette.js';
import { STAGGERED_Y, staggeredLabels } from '../labels.js';
import { optionalFinite, requireFinite, requireNonEmpty } from '../validate.js';
import type { Chart, Series } from '../types.js';

export interface LineBandOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xTitle: string;
  readonly yTitle: string;
  /** Draw y = 0 (useful for slope curves and differences). */
  readonly zeroLine?: boolean;
  /** Vertical markers, e.g. turning points or a significance threshold. */
  readonly markers?: readonly { readonly x: number; readonly label: string }[];
  readonly bandLabel?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Net-effect (or slope) curves with a shaded percentile band, several series by colour. */
export function lineBandSpec(series: readonly Series[], opts: LineBandOptions): TopLevelSpec {
  requireNonEmpty(series, 'lineBandChart series');
  const rows = series.flatMap((s) => {
    requireNonEmpty(s.points, `lineBandChart series '${s.name}'`);
    return s.points.map((p, j) => {
      const at = `lineBandChart series '${s.name}' point ${j}`;
      requireFinite(p.x, `${at} x`);
      requireFinite(p.estimate, `${at} estimate`);
      return { series: s.name, x: p.x, estimate: p.estimate, lo: optionalFinite(p.lo, `${at} lo`), hi: optionalFinite(p.hi, `${at} hi`) };
    });
  });
  const x = { field: 'x', type: 'quantitative', title: opts.xTitle } as const;
  const color = { field: 'series', type: 'nominal', title: null, legend: series.length > 1 ? {} : null } as const;
  const layers: unknown[] = [];
  // A band layer with no rows left after the filter makes Vega warn of infinite extents: leave it out.
  const hasBand = rows.some((r) => r.lo !== null && r.hi !== null);
  if (hasBand) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'area', opacity: 0.2 },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: opts.yTitle }, y2: { field: 'hi' }, color },
    });
  }
  layers.push({ mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'estimate', type: 'quantitative', title: opts.yTitle }, color } });
  if (opts.zeroLine) layers.push({ data: { values: [{}] }, mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [4, 3] }, encoding: { y: { datum: 0 } } });
  if (opts.markers && opts.markers.length > 0) {
    opts.markers.forEach((m, i) => requireFinite(m.x, `lineBandChart marker ${i} x`));
    layers.push({
      data: { values: staggeredLabels(opts.markers) },
      layer: [
        { mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [2, 2] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 10, color: REFERENCE_COLOR }, encoding: { x: { field: 'x', type: 'quantitative' }, y: STAGGERED_Y, text: { field: 'label' } } },
      ],
    });
  }
  const subtitle = opts.subtitle ?? (hasBand ? `Shaded: ${opts.bandLabel ?? '95% percentile band'}` : undefined);
  return {
    title: subtitle === undefined ? { text: opts.title } : { text: opts.title, subtitle },
    width: opts.width ?? 520,
    height: opts.height ?? 280,
    data: { values: rows },
    layer: layers,
  } as TopLevelSpec;
}

export function lineBandChart(series: readonly Series[], opts: LineBandOptions): Promise<Chart> {
  return renderSpec(lineBandSpec(series, opts));
}
