#!/usr/bin/env node
// What a new user does with Panel Lab, outside the repository: `npm pack` the CLI and every package
// it depends on, install the tarballs into an empty temp folder, run a plain `node script.mjs` that
// imports `feols` from `@panel-lab/regression`, type-check a `.ts` script against the installed types
// with `tsc`, and run the packed CLI (`npx panel-lab --help`, and a spec on worker threads).
// Needs the build (`npm run build`); third-party dependencies come from the npm registry (or its
// local cache: --prefer-offline). Prints one JSON summary line last; exits non-zero on any failure.
// Usage: node scripts/pack-check.mjs [--keep]   (--keep leaves the temp folder and prints its path)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = '@panel-lab/cli';
const keep = process.argv.includes('--keep');

/** A tiny 4 x 3 panel; the summary carries it so a test can fit the same model from the sources. */
export const TINY_PANEL = {
  id: [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
  t: [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3],
  x: [0.5, 1.7, 2.1, 3.3, 0.2, 1.1, 2.9, 2.2, 0.4, 1.6, 3.8, 0.9],
  y: [2.1, 4.6, 5.9, 8.4, 2.2, 4.3, 7.7, 6.9, 2.6, 5.2, 10.1, 4.0],
};
const FORMULA = 'y ~ x | id + t';

// Children see neither the workspace's source condition nor the npm settings of an enclosing
// `npm run` (its prefix, workspace, ...): only what a user's shell would give them.
const KEEP_NPM = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && k !== 'INIT_CWD' && k !== 'PANEL_LAB_COMPILED' && (!/^npm_/i.test(k) || KEEP_NPM.has(k.toLowerCase()))),
);

const STEP_TIMEOUT_MS = 200_000;

function run(cmd, args, cwd, what) {
  const t0 = performance.now();
  // bounded: npm retrying an unreachable registry (a proxy's CA missing from the environment) must fail, not hang
  const r = spawnSync(cmd, args, { cwd, env: childEnv, encoding: 'utf8', maxBuffer: 64 << 20, timeout: STEP_TIMEOUT_MS, killSignal: 'SIGKILL' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error || r.status !== 0) {
    const detail = r.error ? r.error.message : `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}`;
    throw new Error(`pack-check: ${what} failed (${detail}): ${cmd} ${args.join(' ')} in ${cwd}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  }
  return { stdout: r.stdout, stderr: r.stderr, seconds };
}

function workspaces() {
  const byName = new Map();
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(ROOT, parent))) {
      const file = join(ROOT, parent, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      byName.set(pkg.name, { dir: join(ROOT, parent, name), pkg });
    }
  }
  return byName;
}

/** The entry package and every workspace package it needs at run time (dependencies, transitively). */
function closure(byName, entry) {
  const out = new Set();
  const visit = (name) => {
    if (out.has(name)) return;
    const ws = byName.get(name);
    if (!ws) throw new Error(`pack-check: workspace package ${name} not found`);
    if (ws.pkg.private) throw new Error(`pack-check: ${name} is needed by ${entry} but is private`);
    out.add(name);
    for (const dep of Object.keys(ws.pkg.dependencies ?? {})) if (byName.has(dep)) visit(dep);
  };
  visit(entry);
  return [...out].sort();
}

function rootDevVersion(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const SCRIPT_MJS = `import { feols } from '@panel-lab/regression';
import { PanelFrame } from '@panel-lab/panel';

const columns = ${JSON.stringify(TINY_PANEL)};
const frame = PanelFrame.fromColumns(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v)])), { unit: 'id', time: 't' });
const fit = feols(${JSON.stringify(FORMULA)}, frame, { vcov: { cluster: 'id' } });
console.log(JSON.stringify({ coef: fit.coefficients[0], se: fit.se[0], nobs: fit.nobs }));
`;

const CHECK_TS = `import { feols, type FeolsResult } from '@panel-lab/regression';
import { PanelFrame } from '@panel-lab/panel';

const frame: PanelFrame = PanelFrame.fromColumns({ id: [1, 1, 2, 2], t: [1, 2, 1, 2], x: [0.1, 0.7, 0.3, 0.2], y: [1, 2, 3, 5] }, { unit: 'id', time: 't' });
const fit: FeolsResult = feols('y ~ x | id', frame, { vcov: { cluster: 'id' } });
const beta: number | undefined = fit.coefficients[0];
console.log(beta);
// The installed declarations are real types, not \`any\`: these must not compile.
// @ts-expect-error coefficients are numbers
const wrong: readonly string[] = fit.coefficients;
// @ts-expect-error the formula is a string or a model spec
feols(42, frame);
console.log(wrong);
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2023', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: true },
  include: ['check.ts'],
};

const SPEC = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }, { id: 'trends', estimator: 'trends', outcomes: ['lemp'], cohort: 'first.treat' }] };

function main() {
  const started = performance.now();
  const byName = workspaces();
  const names = closure(byName, ENTRY);
  if (!names.includes('@panel-lab/regression')) throw new Error('pack-check: @panel-lab/regression is not among the packed packages');
  for (const name of names) {
    const { dir, pkg } = byName.get(name);
    const built = join(dir, pkg.exports['.'].import);
    if (!existsSync(built)) throw new Error(`pack-check: ${name} is not built (${built} missing); run \`npm run build\` first`);
  }
  const work = mkdtempSync(join(tmpdir(), 'panel-lab-pack-'));
  try {
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const packed = run('npm', ['pack', '--json', '--pack-destination', tarballs, ...names.flatMap((n) => ['-w', n])], ROOT, 'npm pack');
    const files = JSON.parse(packed.stdout).map((p) => ({ name: p.name, file: join(tarballs, p.filename), size: p.size, entries: p.entryCount }));
    for (const f of files) {
      if (!existsSync(f.file)) throw new Error(`pack-check: npm pack did not write ${f.file}`);
    }
    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'panel-lab-consumer', private: true, type: 'module' }, null, 2)}\n`);
    const install = run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...files.map((f) => f.file), `typescript@${rootDevVersion('typescript')}`, `@types/node@${rootDevVersion('@types/node')}`],
      consumer,
      'npm install of the tarballs',
    );
    for (const name of names) {
      if (!existsSync(join(consumer, 'node_modules', ...name.split('/'), 'package.json'))) throw new Error(`pack-check: ${name} is not installed in ${consumer}`);
    }
    writeFileSync(join(consumer, 'script.mjs'), SCRIPT_MJS);
    const script = run(process.execPath, ['script.mjs'], consumer, 'node script.mjs');
    const fit = JSON.parse(script.stdout.trim().split('\n').pop());

    writeFileSync(join(consumer, 'check.ts'), CHECK_TS);
    writeFileSync(join(consumer, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    const tsc = run(process.execPath, [join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer, 'tsc against the installed types');

    const help = run('npx', ['--no-install', 'panel-lab', '--help'], consumer, 'npx panel-lab --help');
    if (!/Usage: panel-lab/.test(help.stdout)) throw new Error(`pack-check: panel-lab --help printed no usage:\n${help.stdout}`);
    const helpNode = run(process.execPath, [join(consumer, 'node_modules', '.bin', 'panel-lab'), '--help'], consumer, 'node panel-lab --help');

    writeFileSync(join(consumer, 'spec.json'), JSON.stringify(SPEC));
    const spec = run('npx', ['--no-install', 'panel-lab', 'run', 'spec.json', '--workers', '2', '--out', 'out'], consumer, 'npx panel-lab run spec.json --workers 2');
    for (const f of ['report.html', join('results', 'trends.json')]) {
      if (!existsSync(join(consumer, 'out', f))) throw new Error(`pack-check: the packed CLI's run did not write out/${f}:\n${spec.stdout}\n${spec.stderr}`);
    }
    const summary = {
      ok: true,
      packages: files.map(({ name, size, entries }) => ({ name, size, entries })),
      install_s: install.seconds,
      feols: { formula: FORMULA, vcov: 'cluster id', panel: TINY_PANEL, ...fit },
      tsc_s: tsc.seconds,
      help_npx_s: help.seconds,
      help_node_s: helpNode.seconds,
      run_s: spec.seconds,
      total_s: (performance.now() - started) / 1000,
      ...(keep ? { kept: work } : {}),
    };
    console.log(JSON.stringify(summary));
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
