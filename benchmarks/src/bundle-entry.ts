// Entry point of the self-contained GPU bundle (scripts/gpu-bundle.mjs, docs/gpu.md). Same options and the same
// <out>/<machine-kind>/<suite>.<scale>.json + .md as the runner (cli.ts), but the suites are named here with literal
// import() specifiers, so esbuild puts them into the one bundle file, and each runs in a child process of this same
// file (peak RSS per suite, as with the runner). Also answers --adapter-info for run.sh.
// Left out: api-load (starts apps/api from its sources) and panel-io (re-runs its own .ts file through tsx).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureWebGpu } from '@panel-lab/compute';
import { measure, type BenchSuite, type CaseResult, type Scale } from './harness.js';
import { runSuites } from './record.js';

type SuiteModule = { suite: BenchSuite };
const SUITES: Readonly<Record<string, () => Promise<SuiteModule>>> = {
  kernels: () => import('./suites/kernels.js'),
  placebo: () => import('./suites/placebo.js'),
  bootstrap: () => import('./suites/bootstrap.js'),
  'ann-ensemble': () => import('./suites/ann-ensemble.js'),
  'ann-vs-ols': () => import('./suites/ann-vs-ols.js'),
  'fe-regression': () => import('./suites/fe-regression.js'),
  'cs-scaling': () => import('./suites/cs-scaling.js'),
  'synthetic-panel': () => import('./suites/synthetic-panel.js'),
  // The issue-21 device run (benchmarks/scripts/gpu-device-run.sh): large = H200 sizes, seed = the lavapipe rehearsal.
  'gpu-conformance': () => import('./suites/gpu-conformance.js'),
  'gpu-multiplier': () => import('./suites/gpu-multiplier.js'),
  'gpu-placebo': () => import('./suites/gpu-placebo.js'),
  'gpu-wild': () => import('./suites/gpu-wild.js'),
  'gpu-demean': () => import('./suites/gpu-demean.js'),
  'gpu-ann': () => import('./suites/gpu-ann.js'),
};
/** What run.sh runs when no --suite is given: the suites with WebGPU paths. */
const GPU_SUITES = ['kernels', 'placebo', 'bootstrap', 'ann-ensemble'];
const SCALES: readonly Scale[] = ['quick', 'seed', 'large'];

const { values } = parseArgs({
  options: {
    suite: { type: 'string', multiple: true },
    scale: { type: 'string', default: 'quick' },
    out: { type: 'string', default: 'bench-results' },
    'machine-kind': { type: 'string' },
    check: { type: 'boolean', default: false },
    runs: { type: 'string' },
    warmup: { type: 'string' },
    list: { type: 'boolean', default: false },
    'adapter-info': { type: 'boolean', default: false },
    'child-suite': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    'usage: panel-lab-bench.mjs [--suite NAME]... [--scale quick|seed|large] [--out DIR] [--machine-kind KIND] [--check] [--runs N] [--warmup N] [--list] [--adapter-info]',
  );
  process.exit(0);
}
const scale = values.scale as Scale;
if (!SCALES.includes(scale)) throw new Error(`--scale must be quick, seed or large, got '${scale}'`);

if (values['adapter-info']) await printAdapterInfo();
else if (values['child-suite']) await runChild(values['child-suite']);
else if (values.list) console.log(Object.keys(SUITES).join('\n'));
else runParent();

/** One JSON line: what Dawn's navigator.gpu.requestAdapter() answers in this process. */
async function printAdapterInfo(): Promise<void> {
  const probe = await ensureWebGpu();
  const { available, adapter, reason, ...limits } = probe;
  console.log(JSON.stringify({ available, ...adapter, ...limits, reason }));
}

/** Child: measure one suite's cases, print them as JSON on the last stdout line (the contract of run-suite.ts). */
async function runChild(name: string): Promise<void> {
  const load = SUITES[name];
  if (!load) throw new Error(`--child-suite: unknown suite '${name}'`);
  const { suite } = await load();
  // A suite whose one run is a whole job fixes its own counts (as run-suite.ts does for the runner).
  const opts = suite.repeat ?? { warmup: Number(values.warmup ?? 1), runs: Number(values.runs ?? 5) };
  const results: CaseResult[] = [];
  for (const benchCase of suite.cases(scale)) {
    process.stderr.write(`  ${suite.name} / ${benchCase.name} ...\n`);
    results.push(await measure(benchCase, opts));
  }
  process.stdout.write(`\n${JSON.stringify({ suite: suite.name, description: suite.description, results })}\n`);
  // Dawn and gpu.js worker pools can keep the event loop alive after the last case.
  process.exit(0);
}

function runParent(): void {
  const available = Object.keys(SUITES);
  const wanted = values.suite ?? GPU_SUITES;
  const unknown = wanted.filter((s) => !available.includes(s));
  if (unknown.length) throw new Error(`unknown suite(s): ${unknown.join(', ')}; in this bundle: ${available.join(', ')}`);
  const self = fileURLToPath(import.meta.url);
  runSuites({
    suites: wanted,
    scale,
    out: values.out,
    check: values.check,
    exitOnFailedSuite: true,
    ...(values['machine-kind'] ? { machineKind: values['machine-kind'] } : {}),
    ...(values.runs ? { runs: values.runs } : {}),
    ...(values.warmup ? { warmup: values.warmup } : {}),
    // process.execArgv keeps `--import tsx` when this runs from the sources instead of the bundle.
    childArgs: (name, run) => [...process.execArgv, self, '--child-suite', name, '--scale', run.scale, '--warmup', run.warmup, '--runs', run.runs],
  });
}
