import { describe, expect, it } from 'vitest';
import {
  boxplotChart, densitySpec, eventStudySpec, heatmapSpec, histogramSpec, lineBandSpec, scatterSpec, trendSpec, renderSpec,
} from '../src/index.js';
import { demoCharts, eventSeries, placeboDraws, surface } from './fixtures.js';

/** Inline data of every (nested) layer of a Vega-Lite spec. */
function layerData(spec: unknown): unknown[][] {
  const out: unknown[][] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as { data?: { values?: unknown[] }; layer?: unknown[]; spec?: unknown };
    if (n.data?.values) out.push(n.data.values);
    n.layer?.forEach(walk);
    if (n.spec) walk(n.spec);
  };
  walk(spec);
  return out;
}

describe('chart builders render SVG', () => {
  it('renders one SVG with marks and its title for every chart kind', async () => {
    const charts = await demoCharts();
    for (const [kind, chart] of Object.entries(charts)) {
      expect(chart.svg.startsWith('<svg'), kind).toBe(true);
      expect(chart.svg.length, kind).toBeGreaterThan(2000);
      expect(chart.svg, kind).toMatch(/class="mark-/);
      const title = (chart.spec as { title?: string | { text: string } }).title;
      const text = typeof title === 'string' ? title : (title?.text ?? '');
      expect(chart.svg, kind).toContain(text.replace(/'/g, '&#39;').slice(0, 10));
    }
  }, 30_000);

  it('exports a spec with schema, house palette and inline data', async () => {
    const chart = await boxplotChart([{ group: 'a', value: 1 }, { group: 'a', value: 2 }, { group: 'b', value: 3 }], { title: 'Box', yTitle: 'v' });
    expect(chart.spec.$schema).toContain('vega-lite/v6');
    expect(JSON.stringify(chart.spec.config)).toContain('#0072B2');
    expect(layerData(chart.spec)[0]).toHaveLength(3);
  });
});

describe('eventStudySpec', () => {
  it('dodges overlaid estimators symmetrically and keeps the true event time', () => {
    const rows = layerData(eventStudySpec(eventSeries(), { title: 'ES', dodge: 0.2 }))[0] as { estimator: string; x: number; x_plot: number }[];
    const twfe = rows.find((r) => r.estimator === 'TWFE' && r.x === 0);
    const cs = rows.find((r) => r.estimator !== 'TWFE' && r.x === 0);
    expect(twfe?.x_plot).toBeCloseTo(-0.1, 12);
    expect(cs?.x_plot).toBeCloseTo(0.1, 12);
  });

  it('draws the treatment line where asked and the simultaneous band only when given', () => {
    const spec = eventStudySpec([{ name: 'A', points: [{ x: 0, estimate: 1, lo: 0, hi: 2 }] }], { title: 'ES', treatmentLine: 0 });
    const json = JSON.stringify(spec);
    expect(json).toContain('"x":{"datum":0}');
    expect(json).not.toContain('"field":"lo_simult"');
    expect(JSON.stringify(eventStudySpec(eventSeries(), { title: 'ES' }))).toContain('"field":"lo_simult"');
  });

  it('names the series and point of a bad estimate', () => {
    expect(() => eventStudySpec([{ name: 'CS', points: [{ x: 0, estimate: 1 }, { x: 1, estimate: Number.NaN }] }], { title: 'ES' }))
      .toThrow(/series 'CS' point 1 estimate must be a finite number/);
    expect(() => eventStudySpec([], { title: 'ES' })).toThrow(/no data/);
  });
});

describe('densitySpec', () => {
  it('marks the actual estimate and scales histogram and KDE alike', () => {
    const { draws } = placeboDraws(300);
    const spec = densitySpec(draws, { title: 'Placebo', actual: -0.05 });
    const data = layerData(spec);
    const bins = data[0] as { density: number; start: number; end: number }[];
    expect(bins.reduce((s, b) => s + b.density * (b.end - b.start), 0)).toBeCloseTo(1, 10);
    expect(data[2]).toEqual([{ x: -0.05, label: 'Actual estimate = -0.0500' }]);
  });

  it('checks the p-values match the draws', () => {
    expect(() => densitySpec([1, 2, 3], { title: 'P', actual: 0, pValues: [0.1] })).toThrow(/pValues: 1 values for 3 draws/);
    expect(() => densitySpec([1, 2], { title: 'P', actual: Number.POSITIVE_INFINITY })).toThrow(/option actual/);
  });
});

describe('other builders', () => {
  it('scatter: TWFE rule and validated points', () => {
    const spec = scatterSpec([{ weight: 0.5, estimate: -1, type: 'T vs U' }], { title: 'Bacon', reference: -0.7 });
    expect(JSON.stringify(spec)).toContain('TWFE estimate = -0.700');
    expect(() => scatterSpec([{ weight: Number.NaN, estimate: 1, type: 'x' }], { title: 'B' })).toThrow(/point 0 weight/);
  });

  it('histogram: one facet per panel in the given order, density within group', () => {
    const spec = histogramSpec(
      [{ value: 0.2, group: 'T', panel: 'Before' }, { value: 0.3, group: 'C', panel: 'After' }],
      { title: 'PS', extent: [0, 1], step: 0.1, panelOrder: ['Before', 'After'] },
    ) as { facet?: { column?: { sort?: unknown } } };
    expect(spec.facet?.column?.sort).toEqual(['Before', 'After']);
    expect(JSON.stringify(spec)).toContain('datum.count / (datum.group_n * 0.1)');
    expect(() => histogramSpec([{ value: 1.2, group: 'T' }], { title: 'PS', extent: [0, 1] })).toThrow(/extent \[0, 1\] excludes values in \[1.2, 1.2\]/);
  });

  it('line band: drops missing band ends to null, rejects infinite ones', () => {
    const rows = layerData(lineBandSpec([{ name: 'PD', points: [{ x: 0, estimate: 1, lo: null, hi: Number.NaN }] }], { title: 'NE', xTitle: 'x', yTitle: 'y' }))[0] as { lo: unknown; hi: unknown }[];
    expect(rows[0]).toMatchObject({ lo: null, hi: null });
    expect(() => lineBandSpec([{ name: 'PD', points: [{ x: 0, estimate: 1, lo: Number.NEGATIVE_INFINITY }] }], { title: 'NE', xTitle: 'x', yTitle: 'y' })).toThrow(/'PD' point 0 lo/);
  });

  it('line band and event study without any interval leave the band layer out (no Vega infinite-extent warning)', async () => {
    const bare = [{ name: 'PD', points: [{ x: 0, estimate: 1 }, { x: 1, estimate: 2 }] }];
    const band = lineBandSpec(bare, { title: 'NE', xTitle: 'x', yTitle: 'y' });
    expect(JSON.stringify(band)).not.toContain('"field":"lo"');
    expect(JSON.stringify(band)).not.toContain('Shaded');
    expect(JSON.stringify(lineBandSpec([{ name: 'PD', points: [{ x: 0, estimate: 1, lo: 0, hi: 2 }] }], { title: 'NE', xTitle: 'x', yTitle: 'y' }))).toContain('"field":"lo"');
    expect(JSON.stringify(eventStudySpec(bare, { title: 'ES' }))).not.toContain('"field":"lo"');
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      await renderSpec(band);
      await renderSpec(eventStudySpec(bare, { title: 'ES' }));
    } finally {
      console.warn = original;
    }
    expect(warnings).toEqual([]);
  });

  it('trend: reference-year labels are staggered so they do not overprint', () => {
    const spec = trendSpec([{ time: 2015, value: 1, cohort: 'a' }], { title: 'T', yTitle: 'y', referenceTimes: [{ time: 2016, label: 'a' }, { time: 2017, label: 'b' }] });
    const refs = layerData(spec)[1] as { ypx: number }[];
    expect(refs[0]?.ypx).not.toBe(refs[1]?.ypx);
  });

  it('heatmap: 30 x 30 cells covering the grid, contour lines inside it', async () => {
    const grid = surface(30);
    const spec = heatmapSpec(grid, { title: 'S', xTitle: 'x', yTitle: 'y', zTitle: 'z' });
    const [cells, lines] = layerData(spec) as [{ x0: number; x1: number }[], { x: number; y: number }[]];
    expect(cells).toHaveLength(900);
    expect(lines.length).toBeGreaterThan(50);
    for (const v of lines) {
      expect(v.x).toBeGreaterThanOrEqual(0);
      expect(v.x).toBeLessThanOrEqual(0.88 + 1e-12);
    }
    const chart = await renderSpec(spec);
    expect(chart.svg).toContain('mark-line');
  });

  it('heatmap: names the ragged row', () => {
    expect(() => heatmapSpec({ x: [0, 1], y: [0, 1], z: [[1, 2], [3]] }, { title: 'S', xTitle: 'x', yTitle: 'y', zTitle: 'z' })).toThrow(/z row 1 has 1 values, expected 2/);
    expect(() => heatmapSpec({ x: [1, 0], y: [0, 1], z: [[1, 2], [3, 4]] }, { title: 'S', xTitle: 'x', yTitle: 'y', zTitle: 'z' })).toThrow(/x must be strictly increasing/);
  });
});
