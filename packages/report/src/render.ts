import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec, Config } from 'vega-lite';
import { OKABE_ITO } from './palette.js';
import type { Chart } from './types.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** House style shared by every chart: quiet axes, readable labels, the colour-blind-safe palette. */
export const CHART_CONFIG: Config = Object.freeze({
  font: 'Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif',
  background: 'white',
  padding: 6,
  view: { stroke: '#bbbbbb' },
  range: { category: [...OKABE_ITO] },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    gridColor: '#e6e6e6',
    domainColor: '#666666',
    tickColor: '#666666',
  },
  legend: { labelLimit: 320, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'bottom', direction: 'horizontal' },
  title: { fontSize: 13, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555555' },
  header: { labelFontSize: 12, titleFontSize: 12 },
}) as Config;

/** Completes a Vega-Lite spec with the schema and the house config (the caller's config wins). */
export function withHouseStyle(spec: TopLevelSpec): TopLevelSpec {
  const config = { ...CHART_CONFIG, ...(spec.config ?? {}) } as Config;
  return { $schema: SCHEMA, ...spec, config } as TopLevelSpec;
}

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string headlessly (renderer 'none': no canvas
 * or DOM needed in Node). Text widths are estimated, which is fine for layout.
 */
export async function renderSpec(spec: TopLevelSpec): Promise<Chart> {
  const full = withHouseStyle(spec);
  const compiled = compile(full).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    return Object.freeze({ svg, spec: full });
  } finally {
    view.finalize();
  }
}
