// Deterministic demo data for one figure of every kind (no dependency on the estimators).
import {
  boxplotChart, densityChart, eventStudyChart, heatmapChart, histogramChart, lineBandChart, scatterChart, trendChart,
} from '../src/index.js';
import type { Chart, ReportInput, Series } from '../src/index.js';

/** mulberry32: tiny seeded generator, enough for plot fixtures. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededNormal(seed: number): () => number {
  const u = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export function eventSeries(): Series[] {
  const make = (name: string, shift: number): Series => ({
    name,
    points: Array.from({ length: 11 }, (_, k) => {
      const e = k - 5;
      const est = e < 0 ? 0.01 * Math.sin(e + shift) : -0.04 - 0.01 * e + shift * 0.01;
      return { x: e, estimate: est, lo: est - 0.03, hi: est + 0.03, lo_simult: est - 0.045, hi_simult: est + 0.045 };
    }),
  });
  return [make('TWFE', 0), make('Callaway-Sant\'Anna', 1)];
}

export function placeboDraws(n = 500): { draws: number[]; pValues: number[] } {
  const z = seededNormal(7);
  const draws = Array.from({ length: n }, () => 0.012 * z());
  const pValues = draws.map((d) => Math.min(1, Math.abs(0.5 - d * 20) ));
  return { draws, pValues };
}

export function surface(n = 30): { x: number[]; y: number[]; z: number[][] } {
  const x = Array.from({ length: n }, (_, i) => (0.88 * i) / (n - 1));
  const y = Array.from({ length: n }, (_, j) => 2 + (12 * j) / (n - 1));
  const z = y.map((yy) => x.map((xx) => 5 - 3 * (xx - 0.4) ** 2 * (yy / 8) + 0.3 * Math.sin(yy)));
  return { x, y, z };
}

export interface DemoCharts {
  eventStudy: Chart; density: Chart; scatter: Chart; histogram: Chart; lineBand: Chart; trend: Chart; heatmap: Chart; boxplot: Chart;
}

export async function demoCharts(): Promise<DemoCharts> {
  const { draws, pValues } = placeboDraws();
  const u = seededUniform(3);
  const z = seededNormal(11);
  const scores = ['Before matching', 'After matching'].flatMap((panel) =>
    ['Treated', 'Control'].flatMap((group) =>
      Array.from({ length: 200 }, () => {
        const shift = group === 'Treated' ? (panel === 'Before matching' ? 0.25 : 0.03) : 0;
        return { value: Math.min(0.999, Math.max(0.001, 0.35 + shift + 0.15 * z())), group, panel };
      }),
    ),
  );
  const grid = surface();
  const curve = (name: string, k: number): Series => ({
    name,
    points: Array.from({ length: 50 }, (_, i) => {
      const x = (0.88 * i) / 49;
      const est = k * (x - 0.45) ** 2 - 0.2 * x;
      return { x, estimate: est, lo: est - 0.05 - 0.05 * x, hi: est + 0.05 + 0.05 * x };
    }),
  });
  const [eventStudy, density, scatter, histogram, lineBand, trend, heatmap, boxplot] = await Promise.all([
    eventStudyChart(eventSeries(), { title: 'Event study: ln total CO2', yTitle: 'Effect on ln CO2', treatmentLine: -0.5 }),
    densityChart(draws, { title: 'Placebo: random pseudo-treatment', actual: -0.043, pValues }),
    scatterChart(
      Array.from({ length: 24 }, (_, i) => ({
        weight: 0.002 + 0.08 * u(),
        estimate: -0.05 + 0.06 * (u() - 0.5),
        type: ['Earlier vs later treated', 'Later vs earlier treated', 'Treated vs never treated'][i % 3] as string,
        label: `2x2 #${i}`,
      })),
      { title: 'Goodman-Bacon decomposition', reference: -0.041 },
    ),
    histogramChart(scores, { title: 'Propensity scores', extent: [0, 1], step: 0.05, panelOrder: ['Before matching', 'After matching'] }),
    lineBandChart([curve('Net effect', 1)], {
      title: 'Net effect of the digital-economy index', xTitle: 'Digital-economy index', yTitle: 'Change in CO2 per capita', zeroLine: true,
      markers: [{ x: 0.83, label: 'significant from 0.83' }],
    }),
    trendChart(
      ['Pilot 2016', 'Pilot 2017', 'Never'].flatMap((cohort, c) =>
        Array.from({ length: 15 }, (_, t) => ({ time: 2006 + t, value: 10 + 0.2 * t - (c < 2 && t > 9 + c ? 0.4 * (t - 9 - c) : 0) + 0.5 * c, cohort })),
      ),
      { title: 'Mean ln CO2 by pilot cohort', yTitle: 'ln total CO2', referenceTimes: [{ time: 2016, label: '2016 pilots' }, { time: 2017, label: '2017 pilots' }] },
    ),
    heatmapChart(grid, { title: 'Conditional effect surface', xTitle: 'Digital-economy index', yTitle: 'GDP per capita (10k yuan)', zTitle: 'Predicted CO2 pc' }),
    boxplotChart(
      ['Mega/super-large', 'Large', 'Medium/small'].flatMap((group, g) => Array.from({ length: 80 }, () => ({ group, value: 6 + g + z() }))),
      { title: 'Fitted CO2 per capita by city size', yTitle: 'Fitted CO2 per capita', groupOrder: ['Mega/super-large', 'Large', 'Medium/small'] },
    ),
  ]);
  return { eventStudy, density, scatter, histogram, lineBand, trend, heatmap, boxplot } as DemoCharts;
}

/** A report with one figure of every kind, a table, an etable-style rendered table and a comparison. */
export async function demoReportInput(): Promise<ReportInput> {
  const c = await demoCharts();
  const fig = (id: string, chart: Chart, caption: string) => ({ kind: 'figure' as const, id, caption, svg: chart.svg, spec: chart.spec });
  return {
    title: 'Panel Lab replication report',
    subtitle: 'Synthetic China city panel: big-data pilot zones (seed 000) and the digital-economy index (seed 002)',
    meta: { generated_at: '2026-11-23T00:00:00Z', data: 'synthetic city panel, seed 42', cities: 280, years: '2006-2020' },
    results: { twfe: { term: 'treat_post', estimate: -0.043, std_error: 0.011, draws: Float64Array.of(1, Number.NaN, 3) } },
    sections: [
      {
        id: 'did',
        title: 'Big-data pilot zones and city carbon emissions',
        intro: 'Staggered adoption; TWFE and heterogeneity-robust estimators.\n\nStandard errors clustered by `city`.',
        blocks: [
          {
            kind: 'table', id: 'tab-baseline',
            table: { title: 'Baseline TWFE', columns: ['term', 'estimate', 'std_error', 'p_value'], rows: [['treat_post', -0.0431, 0.0112, 0.0001], ['ln_gdp', 0.52, 0.08, null]], notes: ['City and year fixed effects.'] },
          },
          {
            kind: 'table', id: 'tab-etable',
            rendered: { title: 'etable: TWFE vs CS', markdown: '| | (1) |\n|---|---:|\n| treat | -0.043 |\n', html: '<table><tr><th></th><th>(1)</th></tr><tr><td>treat</td><td>-0.043</td></tr></table>', csv: 'term,(1)\r\ntreat,-0.043\r\n' },
          },
          fig('trend', c.trend, 'Seed 000, Fig. 2: mean ln total CO2 by pilot cohort.'),
          fig('event-study', c.eventStudy, 'Seed 000, Fig. 4: event study of ln total CO2, TWFE and Callaway-Sant\'Anna, 95% pointwise and simultaneous bands.'),
          fig('placebo', c.density, 'Seed 000, Fig. 6: placebo estimates from 500 random pseudo-treatments; dashed line: actual estimate.'),
          fig('bacon', c.scatter, 'Seed 000, Table 5 (as a figure): Goodman-Bacon 2x2 estimates against their weights.'),
          fig('pscore', c.histogram, 'Seed 000, Fig. 8: propensity scores of treated and control cities before and after matching.'),
          { kind: 'comparison', id: 'truth-did', title: 'Estimates vs true effects', rows: [
            { quantity: 'ATT (simple)', estimate: -0.043, std_error: 0.011, conf_low: -0.065, conf_high: -0.021, truth: -0.04 },
            { quantity: 'ATT e=0', estimate: -0.02, conf_low: -0.03, conf_high: -0.01, truth: -0.035 },
          ] },
        ],
      },
      {
        id: 'ann',
        title: 'Digital economy and carbon emissions (ANN)',
        blocks: [
          { kind: 'text', paragraphs: ['Net effects by partial dependence with a city bootstrap.'] },
          fig('net-effect', c.lineBand, 'Seed 002, Fig. 4: net effect of the digital-economy index on CO2 per capita, 95% bootstrap band.'),
          fig('surface', c.heatmap, 'Seed 002, Fig. 8: conditional effect surface over GDP per capita, with contour lines.'),
          fig('size-box', c.boxplot, 'Seed 002, Fig. 5: fitted CO2 per capita by city size.'),
        ],
      },
    ],
  };
}
