// Regenerates the README's Performance section and the time-vs-scale plot from the committed results:
// `npm run readme -w @panel-lab/benchmarks`. Everything shown comes from benchmarks/results/<machine-kind>/*.json.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSpec } from '@panel-lab/report';
import type { SuiteReport, RatioCheck } from './report.js';
import { measuredPeaks, rooflineCell } from './roofline/report.js';
import { GROWTH_REASONS, growthRows, NLOGN_EXPONENT, type GrowthRow } from './scale/growth.js';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, '..', 'results');
const readmePath = join(here, '..', '..', 'README.md');
const START = '<!-- performance:start -->';
/** Suites plotted against scale (the others are tabulated only). */
const MAIN_SUITES = ['fe-regression', 'cs-scaling', 'synthetic-panel', 'panel-io'];
const END = '<!-- performance:end -->';

export function loadReports(dir = resultsDir): SuiteReport[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(join(dir, d.name, f), 'utf8')) as SuiteReport),
    )
    .filter((r) => Array.isArray(r.results))
    .sort((a, b) => `${a.machine_kind}/${a.suite}/${a.scale}`.localeCompare(`${b.machine_kind}/${b.suite}/${b.scale}`));
}

/** A case name in a table cell ('|' in a formula would end the cell). */
const cell = (text: string) => text.replace(/\|/g, '\\|');
const seconds = (s: number) => (s < 0.01 ? `${(s * 1000).toFixed(2)} ms` : s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`);

/** "vs_r_did 12.3x (R 13.8 s)" and any other same-run ratio of a case. */
function ratioCell(extra: Record<string, unknown>): string {
  const rKey = Object.keys(extra).find((k) => /^r_.+_median_s$/.test(k));
  return Object.entries((extra.ratios ?? {}) as Record<string, RatioCheck>)
    .map(([k, v]) => `${k} ${v.value.toFixed(1)}x${k.startsWith('vs_r_') && rKey ? ` (R ${seconds(extra[rKey] as number)})` : ''}`)
    .join(', ');
}

export function performanceMarkdown(reports: readonly SuiteReport[]): string {
  if (reports.length === 0) return 'No benchmark results recorded yet.\n';
  const lines: string[] = [];
  for (const kind of [...new Set(reports.map((r) => r.machine_kind))]) {
    const first = reports.find((r) => r.machine_kind === kind)!;
    const m = first.machine;
    const ofKind = reports.filter((x) => x.machine_kind === kind);
    lines.push(`### Machine \`${kind}\``, '', `${m.cpu_model}, ${m.cores} cores, ${(m.memory_bytes / 2 ** 30).toFixed(0)} GiB, Node ${m.node}, GPU adapter: ${m.gpu_adapter ?? 'none'}.`, '');
    lines.push(...rPeerTable(ofKind), ...rooflineTable(ofKind));
    lines.push('| suite | scale | case | backend | median | peak RSS | 1-min load | same-run ratios |', '|---|---|---|---|---|---|---|---|');
    for (const r of ofKind) {
      for (const c of r.results) {
        const load = c.load_avg_1m === undefined ? '' : c.load_avg_1m.toFixed(1);
        lines.push(`| ${r.suite} | ${r.scale} | ${cell(c.name)} | ${c.backend} | ${seconds(c.median_s)} | ${(c.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB | ${load} | ${ratioCell(c.extra)} |`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Cases timed against their R peer in the same run (RPEERS_LIB set when recorded): ours, R's, the ratio, whether the estimates matched. */
export function rPeerTable(reports: readonly SuiteReport[]): string[] {
  const rows: string[] = [];
  for (const r of reports) {
    for (const c of r.results) {
      const rKey = Object.keys(c.extra).find((k) => /^r_.+_median_s$/.test(k));
      if (!rKey) continue;
      const pkg = rKey.slice(2, -'_median_s'.length);
      const ratio = Object.entries((c.extra.ratios ?? {}) as Record<string, RatioCheck>).find(([k]) => k.startsWith('vs_r_'))?.[1];
      const version = ((c.extra.r_version ?? {}) as Record<string, string>)[pkg] ?? '';
      const match = c.extra.r_estimate_match as { max_abs: number; keys: number } | undefined;
      const matched = match && match.keys ? `${match.keys} values, max abs diff ${match.max_abs.toExponential(1)}` : '';
      const target = ratio && ratio.floor > 0 ? `>= ${ratio.floor}x` : '';
      const load = c.load_avg_1m === undefined ? '' : c.load_avg_1m.toFixed(1);
      rows.push(`| ${r.suite} (${r.scale}) | ${cell(c.name)} | ${seconds(c.median_s)} | ${pkg} ${version}: ${seconds(c.extra[rKey] as number)} | ${ratio ? `**${ratio.value.toFixed(1)}x**` : ''} | ${target} | ${matched} | ${c.extra.r_threads ?? ''} | ${load} |`);
    }
  }
  if (rows.length === 0) return [];
  return [
    '#### Same-run ratios against R',
    '',
    'R peer and Panel Lab timed in the same benchmark run on the same data (the R script reads the file our suite wrote; benchmarks/r/*.R), warm medians; ratio = R / ours (higher: we are faster). The machine is shared: the 1-minute load is recorded with each case.',
    '',
    '| suite | case | ours | R peer | R / ours | target | estimates compared | R threads | 1-min load |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}

/** The kernels suite's cpu cases against the machine peaks it measured (roofline). */
export function rooflineTable(reports: readonly SuiteReport[]): string[] {
  const rows: string[] = [];
  for (const r of reports.filter((x) => x.suite === 'kernels')) {
    const peaks = measuredPeaks(r.results);
    if (peaks.length === 0) continue;
    for (const c of r.results) {
      if (!c.extra.work || (c.backend !== 'cpu' && !c.extra.peak)) continue;
      rows.push(`| ${r.scale} | ${cell(c.name)} | ${seconds(c.median_s)} | ${rooflineCell(c, peaks)} |`);
    }
  }
  if (rows.length === 0) return [];
  return [
    '#### Kernels against the machine peak (cpu backend)',
    '',
    'Peaks measured by the kernels suite on one thread as our kernels run: STREAM copy/triad in JavaScript over 128 MiB Float64Arrays, a multiply-add loop in JavaScript scalar and in WebAssembly SIMD f64x2. Memory-bound kernels: a model of the bytes they must move (inputs that fit in the caches can pass the STREAM peak, which is measured far past them); MultiplierBootstrap: the flops of the dense product it replaces (its table kernel does about 8x fewer additions). On a shared machine the peaks drop with the load: compare within one run.',
    '',
    '| scale | case | median | achieved vs peak |',
    '|---|---|---|---|',
    ...rows,
    '',
  ];
}

/** Time vs problem size (rows) for every case that records a `rows` parameter, log-log. */
export async function timeVsScaleSvg(reports: readonly SuiteReport[]): Promise<string | null> {
  // A series = one suite's case with its size left out of the name, so the sizes line up along x.
  const family = (name: string) => name.replace(/\d[\d,]*\s*x\s*\d+(\s*x\s*\d+)?/g, '').replace(/\(.*?\)/g, '').replace(/\s+/g, ' ').trim();
  const points = reports
    .filter((r) => MAIN_SUITES.includes(r.suite))
    .flatMap((r) =>
      r.results
        .filter((c) => typeof c.params.rows === 'number' && c.median_s > 0)
        .map((c) => ({ series: `${r.suite}: ${family(c.name)} [${c.backend}]`, rows: c.params.rows as number, seconds: c.median_s, kind: r.machine_kind })),
    );
  if (points.length === 0) return null;
  const chart = await renderSpec({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Median time vs panel size', subtitle: 'from benchmarks/results (log-log)' },
    width: 560,
    height: 320,
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rows', type: 'quantitative', scale: { type: 'log' }, title: 'rows (unit x period)' },
      y: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'median seconds' },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 1, labelLimit: 480 } },
      strokeDash: { field: 'kind', type: 'nominal', title: 'machine' },
    },
  });
  return chart.svg;
}

/** The scale suite's growth table: seconds per step at each size and the fitted exponent. */
export function growthMarkdown(rows: readonly GrowthRow[]): string {
  if (rows.length === 0) return '';
  const sizes = [...new Set(rows.flatMap((r) => r.points.map((p) => p.rows)))].sort((a, b) => a - b);
  const lines = [
    '### Growth of the main job with panel size',
    '',
    `The scale suite runs \`panel-lab replicate\` at each size in its own process (default draws, CPU backend). Exponent: slope of log(seconds) on log(rows); rows x log(rows) over this range is ${NLOGN_EXPONENT.toFixed(2)}.`,
    '',
    `| step | ${sizes.map((n) => `${n.toLocaleString('en-US')} rows`).join(' | ')} | exponent | why faster than rows x log(rows) |`,
    `|---|${sizes.map(() => '---').join('|')}|---|---|`,
  ];
  for (const r of rows) {
    const at = sizes.map((n) => r.points.find((p) => p.rows === n));
    const why = r.exponent !== null && r.exponent > NLOGN_EXPONENT + 0.05 ? (GROWTH_REASONS[r.step] ?? '**no reason recorded**') : '';
    lines.push(`| ${r.step} | ${at.map((p) => (p ? seconds(p.seconds) : '')).join(' | ')} | ${r.exponent === null ? '' : r.exponent.toFixed(2)} | ${why} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Log-log lines of seconds against rows for the steps that take at least a second somewhere. */
export async function growthSvg(rows: readonly GrowthRow[]): Promise<string | null> {
  const values = rows
    .filter((r) => r.points.length >= 2 && r.points.some((p) => p.seconds >= 1))
    .flatMap((r) => r.points.filter((p) => p.seconds > 0).map((p) => ({ step: `${r.step} (${r.exponent?.toFixed(2) ?? '?'})`, rows: p.rows, seconds: p.seconds })));
  if (values.length === 0) return null;
  const chart = await renderSpec({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Main job: seconds per step vs panel rows', subtitle: 'scale suite, log-log; growth exponent in brackets' },
    width: 560,
    height: 320,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rows', type: 'quantitative', scale: { type: 'log' }, title: 'rows (city x year)' },
      y: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'seconds' },
      color: { field: 'step', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2, labelLimit: 260 } },
    },
  });
  return chart.svg;
}

export function updateReadme(readme: string, section: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${section}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reports = loadReports();
  const svg = await timeVsScaleSvg(reports);
  let section = performanceMarkdown(reports);
  if (svg) {
    writeFileSync(join(resultsDir, 'time-vs-scale.svg'), svg);
    section = `![Median time vs panel size](benchmarks/results/time-vs-scale.svg)\n\n${section}`;
  }
  const growth = growthRows(reports, 'cpu-2core');
  const growthPlot = await growthSvg(growth);
  if (growthPlot) {
    writeFileSync(join(resultsDir, 'scale-growth.svg'), growthPlot);
    section = `${growthMarkdown(growth)}\n![Main job: seconds per step vs rows](benchmarks/results/scale-growth.svg)\n\n${section}`;
  }
  writeFileSync(readmePath, updateReadme(readFileSync(readmePath, 'utf8'), section));
  console.log(`README performance section: ${reports.length} suite result files`);
}
