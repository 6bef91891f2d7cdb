// Whole process from a CSV (issue 16): a fresh Node process that reads a TWFE panel CSV with readPanel
// (DuckDB) and fits feols(y ~ d | id + t, cluster id), timed from outside, start-up included; R runs the
// same job (fread + fixest::feols) in a fresh Rscript on the same file in the same run (benchmarks/r/fread-feols.R).
// The child is plain Node on the compiled packages (dist/), as a user's script runs: setup brings the
// build of the packages it loads up to date (tsc -b, incremental).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PanelFrame, writePanel } from '@panel-lab/panel';
import type { BenchSuite, Scale } from '../harness.js';
import { twfePanel } from './fe-regression.js';

const PERIODS = 20;
const UNITS: Record<Scale, number> = { quick: 1_000, seed: 10_000, large: 100_000 };
const child = fileURLToPath(new URL('../fixtures/feols-from-csv-child.mjs', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The builds the child loads (their project references bring @panel-lab/compute along). */
const BUILDS = ['packages/panel/tsconfig.build.json', 'packages/regression/tsconfig.build.json'];
// No inherited NODE_OPTIONS: a source condition there would send the child to src/*.ts.
const { NODE_OPTIONS: _dropped, ...childEnv } = process.env;

function buildPackages(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const out = spawnSync(process.execPath, [tsc, '-b', ...BUILDS], { cwd: root, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`panel-io-process: building ${BUILDS.join(', ')} failed (exit ${out.status}): ${(out.stdout + out.stderr).slice(-1500)}`);
}

export const suite: BenchSuite = {
  name: 'panel-io-process',
  description:
    'One whole process: plain Node start-up on the compiled packages (dist/, as installed from npm), loading them, readPanel of a units x 20 TWFE panel CSV ' +
    'and feols(y ~ d | id + t, cluster id), timed from outside ' +
    '(large: 100,000 units = 2,000,000 rows); R: a fresh Rscript running fread + fixest::feols on the same file (2 threads), same run.',
  cases: (scale: Scale) => [
    {
      name: `csv-feols-process-${UNITS[scale] * PERIODS}`,
      params: { units: UNITS[scale], periods: PERIODS, rows: UNITS[scale] * PERIODS, formula: 'y ~ d | id + t', vcov: 'cluster id' },
      setup: async () => {
        buildPackages();
        const dir = mkdtempSync(join(tmpdir(), 'panel-io-process-'));
        process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
        const path = join(dir, 'twfe.csv');
        await writePanel(PanelFrame.fromColumns(twfePanel(UNITS[scale], PERIODS, 0, 20_261_204), { unit: 'id', time: 't' }), path);
        return { path };
      },
      run: (prepared) => {
        const { path } = prepared as { path: string };
        const out = spawnSync(process.execPath, [child, path], { encoding: 'utf8', env: childEnv });
        if (out.status !== 0) throw new Error(`panel-io-process: child failed (exit ${out.status}): ${out.stderr.slice(-1500)}`);
        const fit = JSON.parse(out.stdout.trim().split('\n').pop()!) as { nobs: number; coef: number; se: number; uptime_s: number; phases: Record<string, number> };
        const ph = fit.phases;
        const load = loadavg()[0]!;
        return {
          nobs: fit.nobs,
          estimate: { coef_d: fit.coef, se_d: fit.se },
          child_uptime_s: fit.uptime_s,
          child_phases_s: ph,
          load_avg_1m: load,
          note:
            `nobs ${fit.nobs}; coef d ${fit.coef.toFixed(6)}; child: boot ${ph.boot_s!.toFixed(2)} s, imports ${ph.import_s!.toFixed(2)} s, ` +
            `readPanel ${ph.read_s!.toFixed(2)} s, feols ${ph.fit_s!.toFixed(2)} s; 1-min load ${load.toFixed(1)}`,
        };
      },
      rPeer: {
        pkg: 'fixest',
        script: 'fread-feols.R',
        args: (prepared) => ({ file: (prepared as { path: string }).path, threads: 2, reps: 3 }),
        estimate: (extra) => extra.estimate as Record<string, number>,
        timeoutMs: 20 * 60_000,
      },
    },
  ],
};
