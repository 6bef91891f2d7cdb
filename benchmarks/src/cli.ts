// Benchmark runner: `npm run bench -- [--suite NAME]... [--scale quick|seed|large] [--out DIR] [--machine-kind KIND] [--check]`.
// Discovers every suite in src/suites, runs each in its own process, writes <out>/<machine-kind>/<suite>.<scale>.json and .md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineFacts, type Scale } from './harness.js';
import { checkReport } from './report.js';
import { recordSuite } from './record.js';

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

const machine = machineFacts(process.env.PANEL_LAB_GPU_ADAPTER ?? null);
const kind = values['machine-kind'] ?? process.env.PANEL_LAB_MACHINE_KIND ?? `cpu-${machine.cores}core`;
const outDir = resolve(values.out, kind);
mkdirSync(outDir, { recursive: true });
const runs = values.runs ?? (scale === 'large' ? '3' : '5');
const warmup = values.warmup ?? '1';

const problems: string[] = [];
for (const name of wanted) {
  console.log(`suite ${name} (${scale})`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'run-suite.ts'), join(suitesDir, `${name}.ts`), scale, warmup, runs], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  if (child.status !== 0) {
    problems.push(`suite ${name} failed (exit ${child.status})`);
    continue;
  }
  problems.push(...checkReport(recordSuite(child.stdout, { name, scale, kind, machine, outDir })));
}
console.log(`results in ${outDir}`);
if (problems.length) {
  console.error(`benchmark problems:\n- ${problems.join('\n- ')}`);
  if (values.check) process.exit(1);
}
