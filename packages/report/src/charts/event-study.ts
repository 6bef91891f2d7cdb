import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { OKABE_ITO, REFERENCE_COLOR } from '../palette.js';
import { optionalFinite, requireFinite, requireNonEmpty } from '../validate.js';
import type { Chart, Series } from '../types.js';

export interface EventStudyOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Where treatment starts on the x axis: -0.5 (between e=-1 and e=0, default) or 0. */
  readonly treatmentLine?: number;
  /** Horizontal spread between overlaid estimators, in x units (default 0.12 per estimator). */
  readonly dodge?: number;
  readonly width?: number;
  readonly height?: number;
}

interface EventRow {
  estimator: string;
  band_of: string;
  x: number;
  x_plot: number;
  estimate: number;
  lo: number | null;
  hi: number | null;
  lo_simult: number | null;
  hi_simult: number | null;
}

/** Flattens series into rows, dodging estimators sideways so overlaid intervals stay readable. */
function eventRows(series: readonly Series[], dodge: number): EventRow[] {
  const rows: EventRow[] = [];
  series.forEach((s, i) => {
    requireNonEmpty(s.points, `eventStudyChart series '${s.name}'`);
    const shift = (i - (series.length - 1) / 2) * dodge;
    s.points.forEach((p, j) => {
      const at = `eventStudyChart series '${s.name}' point ${j}`;
      requireFinite(p.x, `${at} x`);
      requireFinite(p.estimate, `${at} estimate`);
      rows.push({
        estimator: s.name,
        band_of: s.name,
        x: p.x,
        x_plot: p.x + shift,
        estimate: p.estimate,
        lo: optionalFinite(p.lo, `${at} lo`),
        hi: optionalFinite(p.hi, `${at} hi`),
        lo_simult: optionalFinite(p.lo_simult, `${at} lo_simult`),
        hi_simult: optionalFinite(p.hi_simult, `${at} hi_simult`),
      });
    });
  });
  return rows;
}

/** Event-study plot: points with pointwise CI bars, optional simultaneous band, estimators by colour. */
export function eventStudySpec(series: readonly Series[], opts: EventStudyOptions): TopLevelSpec {
  requireNonEmpty(series, 'eventStudyChart series');
  const rows = eventRows(series, series.length > 1 ? (opts.dodge ?? 0.12) : 0);
  const hasSimult = rows.some((r) => r.lo_simult !== null && r.hi_simult !== null);
  const color = { field: 'estimator', type: 'nominal', title: 'Estimator' } as const;
  // Bands and bars are coloured through a copy of the estimator field (same palette, same sorted
  // domain) without a legend: Vega-Lite would otherwise merge their swatches into the point legend.
  const bandColor = { field: 'band_of', type: 'nominal', legend: null, scale: { range: [...OKABE_ITO] } } as const;
  const x = { field: 'x_plot', type: 'quantitative', title: opts.xTitle ?? 'Periods relative to treatment', axis: { tickMinStep: 1, format: 'd' }, scale: { nice: false, padding: 14 } } as const;
  const yTitle = opts.yTitle ?? 'Estimate';
  const layers: unknown[] = [];
  if (hasSimult) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lo_simult) && isValid(datum.hi_simult)' }],
      mark: { type: 'area', opacity: 0.16 },
      encoding: { x: { ...x, field: 'x' }, y: { field: 'lo_simult', type: 'quantitative', title: yTitle }, y2: { field: 'hi_simult' }, fill: bandColor },
    });
  }
  layers.push(
    { mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [4, 3] }, encoding: { y: { datum: 0 } } },
    { mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [2, 2] }, encoding: { x: { datum: opts.treatmentLine ?? -0.5 } } },
  );
  // CI bars only when some point has them: an empty filtered layer makes Vega warn of infinite extents.
  if (rows.some((r) => r.lo !== null && r.hi !== null)) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' }, stroke: bandColor },
    });
  }
  layers.push(
    {
      mark: { type: 'point', filled: true, size: 42, opacity: 1 },
      encoding: {
        x,
        y: { field: 'estimate', type: 'quantitative', title: yTitle },
        color,
        shape: { field: 'estimator', type: 'nominal', title: 'Estimator' },
      },
    },
  );
  return {
    title: opts.subtitle ? { text: opts.title, subtitle: opts.subtitle } : opts.title,
    width: opts.width ?? 560,
    height: opts.height ?? 300,
    data: { values: rows },
    layer: layers,
  } as TopLevelSpec;
}

export function eventStudyChart(series: readonly Series[], opts: EventStudyOptions): Promise<Chart> {
  return renderSpec(eventStudySpec(series, opts));
}
