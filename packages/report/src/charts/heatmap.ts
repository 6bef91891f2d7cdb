import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../render.js';
import { SEQUENTIAL_SCHEME } from '../palette.js';
import { axisAt, contourLines, quantileLevels, validateGrid } from '../contours.js';
import type { Grid } from '../contours.js';
import type { Chart } from '../types.js';

export interface HeatmapOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly zTitle: string;
  /** Contour levels; default 10 quantiles of the surface values; [] for none. */
  readonly levels?: readonly number[];
  readonly scheme?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Conditional surface: heatmap cells (colour = value) with iso-lines at the contour levels. */
export function heatmapSpec(grid: Grid, opts: HeatmapOptions): TopLevelSpec {
  validateGrid(grid, 'heatmapChart');
  const cells = grid.z.flatMap((row, j) =>
    Array.from(row, (z, i) => ({
      x0: axisAt(grid.x, i - 0.5),
      // Each cell reaches 10% into its right and upper neighbours, which are drawn after it and
      // cover the overlap: anti-aliasing then leaves no seams between cells.
      x1: axisAt(grid.x, i + (i === grid.x.length - 1 ? 0.5 : 0.6)),
      y0: axisAt(grid.y, j - 0.5),
      y1: axisAt(grid.y, j + (j === grid.y.length - 1 ? 0.5 : 0.6)),
      z,
    })),
  );
  const levels = opts.levels ?? quantileLevels(grid);
  const lines = contourLines(grid, levels);
  // Label each level once, at the middle vertex of its longest line.
  const longest = new Map<number, { line: number; n: number }>();
  const counts = new Map<number, number>();
  for (const v of lines) counts.set(v.line, (counts.get(v.line) ?? 0) + 1);
  for (const v of lines) {
    const n = counts.get(v.line) ?? 0;
    const best = longest.get(v.level);
    if (!best || n > best.n) longest.set(v.level, { line: v.line, n });
  }
  const labels = [...longest.entries()].flatMap(([level, { line, n }]) => {
    const mid = lines.find((v) => v.line === line && v.order === Math.floor(n / 2));
    return mid ? [{ x: mid.x, y: mid.y, label: level.toPrecision(3) }] : [];
  });
  const x = { type: 'quantitative', title: opts.xTitle, scale: { zero: false, nice: false } } as const;
  const y = { type: 'quantitative', title: opts.yTitle, scale: { zero: false, nice: false } } as const;
  const layers: unknown[] = [
    {
      data: { values: cells },
      mark: { type: 'rect', strokeWidth: 0 },
      encoding: {
        x: { ...x, field: 'x0' },
        x2: { field: 'x1' },
        y: { ...y, field: 'y0' },
        y2: { field: 'y1' },
        color: { field: 'z', type: 'quantitative', title: opts.zTitle, scale: { scheme: opts.scheme ?? SEQUENTIAL_SCHEME }, legend: { orient: 'right', direction: 'vertical', gradientLength: 180 } },
      },
    },
  ];
  if (lines.length > 0) {
    layers.push(
      {
        data: { values: lines },
        mark: { type: 'line', color: 'white', strokeWidth: 1, opacity: 0.9 },
        encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, detail: { field: 'line', type: 'nominal' }, order: { field: 'order', type: 'quantitative' } },
      },
      {
        data: { values: labels },
        mark: { type: 'text', color: 'white', fontSize: 9, dy: -5 },
        encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, text: { field: 'label' } },
      },
    );
  }
  return {
    title: { text: opts.title, subtitle: opts.subtitle ?? `${grid.x.length} x ${grid.y.length} grid; lines: ${levels.length} contour levels` },
    width: opts.width ?? 420,
    height: opts.height ?? 320,
    layer: layers,
  } as TopLevelSpec;
}

export function heatmapChart(grid: Grid, opts: HeatmapOptions): Promise<Chart> {
  return renderSpec(heatmapSpec(grid, opts));
}
