// Benchmark runner: `npm run bench -- [--suite NAME]... [--scale quick|seed|large] [--out DIR] [--machine-kind KIND] [--check]`.
// Discovers every suite in src/suites, runs each in its own process, writes <out>/<machine-kind>/<suite>.<scale>.json and .md.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Scale } from './harness.js';
import { runSuites } from './record.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    suite: { type: 'string', multiple: true },
    scale: { type: 'string', default: 'quick' },
    out: { type: 'string', default: join(here, '..', 'results') },
    'machine-kind': { type: 'string' },
    check: { type: 'boolean', default: false },
    runs: { type: 'string' },
    warmup: { type: 'string' },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: bench [--suite NAME]... [--scale quick|seed|large] [--out DIR] [--machine-kind KIND] [--check] [--runs N] [--warmup N] [--list]`);
  process.exit(0);
}
const scale = values.scale as Scale;
if (!['quick', 'seed', 'large'].includes(scale)) throw new Error(`--scale must be quick, seed or large, got '${scale}'`);

const suitesDir = join(here, 'suites');
const available = readdirSync(suitesDir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
if (values.list) {
  console.log(available.join('\n'));
  process.exit(0);
}
const wanted = values.suite ?? available;
const unknown = wanted.filter((s) => !available.includes(s));
if (unknown.length) throw new Error(`unknown suite(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);

runSuites({
  suites: wanted,
  scale,
  out: values.out,
  check: values.check,
  ...(values['machine-kind'] ? { machineKind: values['machine-kind'] } : {}),
  ...(values.runs ? { runs: values.runs } : {}),
  ...(values.warmup ? { warmup: values.warmup } : {}),
  // The workspace packages from their TypeScript sources (their `@panel-lab/source` export condition).
  childArgs: (name, run) => ['--import', 'tsx', '--conditions=@panel-lab/source', join(here, 'run-suite.ts'), join(suitesDir, `${name}.ts`), run.scale, run.warmup, run.runs],
});
