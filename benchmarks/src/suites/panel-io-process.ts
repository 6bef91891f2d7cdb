// Whole process from a CSV (issue 16): a fresh Node process that reads a TWFE panel CSV with readPanel
// (DuckDB) and fits feols(y ~ d | id + t, cluster id), timed from outside, start-up included; R runs the
// same job (fread + fixest::feols) in a fresh Rscript on the same file in the same run (benchmarks/r/fread-feols.R).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PanelFrame, writePanel } from '@panel-lab/panel';
import type { BenchSuite, Scale } from '../harness.js';
import { twfePanel } from './fe-regression.js';

const PERIODS = 20;
const UNITS: Record<Scale, number> = { quick: 1_000, seed: 10_000, large: 100_000 };
const child = fileURLToPath(new URL('../fixtures/feols-from-csv-child.ts', import.meta.url));

export const suite: BenchSuite = {
  name: 'panel-io-process',
  description:
    'One whole process: Node start-up (tsx), readPanel of a units x 20 TWFE panel CSV and feols(y ~ d | id + t, cluster id), timed from outside ' +
    '(large: 100,000 units = 2,000,000 rows); R: a fresh Rscript running fread + fixest::feols on the same file (2 threads), same run.',
  cases: (scale: Scale) => [
    {
      name: `csv-feols-process-${UNITS[scale] * PERIODS}`,
      params: { units: UNITS[scale], periods: PERIODS, rows: UNITS[scale] * PERIODS, formula: 'y ~ d | id + t', vcov: 'cluster id' },
      setup: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'panel-io-process-'));
        process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
        const path = join(dir, 'twfe.csv');
        await writePanel(PanelFrame.fromColumns(twfePanel(UNITS[scale], PERIODS, 0, 20_261_204), { unit: 'id', time: 't' }), path);
        return { path };
      },
      run: (prepared) => {
        const { path } = prepared as { path: string };
        const out = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@panel-lab/source', child, path], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`panel-io-process: child failed (exit ${out.status}): ${out.stderr.slice(-1500)}`);
        const fit = JSON.parse(out.stdout.trim().split('\n').pop()!) as { nobs: number; coef: number; se: number; uptime_s: number };
        const load = loadavg()[0]!;
        return {
          nobs: fit.nobs,
          estimate: { coef_d: fit.coef, se_d: fit.se },
          child_uptime_s: fit.uptime_s,
          load_avg_1m: load,
          note: `nobs ${fit.nobs}; coef d ${fit.coef.toFixed(6)}; 1-min load ${load.toFixed(1)}`,
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
