// Panel IO: read + validate a panel of `units` x 20 years with 6 numeric columns from Parquet and from CSV.
// The files are generated once per case into a temp dir by a child process (this same file, run with
// PANEL_IO_GENERATE set), so generation does not count in this process's peak memory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@panel-lab/compute';
import { PanelFrame, readPanel, writePanel } from '@panel-lab/panel';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';

const YEARS = 20;
const UNITS: Record<Scale, number> = { quick: 1_000, seed: 10_000, large: 100_000 };
const NUMERIC = ['y', 'x1', 'x2', 'x3', 'x4', 'x5'] as const;
const options = { unit: 'unit', time: 'year' };

/** A seeded synthetic panel: unit effects, a trend, noise; about 1% of y missing. */
async function generate(dir: string, units: number): Promise<void> {
  const rng = createRng(20_240_601);
  const n = units * YEARS;
  const unit = new Float64Array(n);
  const year = new Float64Array(n);
  const cols = NUMERIC.map(() => new Float64Array(n));
  for (let u = 0; u < units; u++) {
    const effect = rng.normal();
    for (let t = 0; t < YEARS; t++) {
      const i = u * YEARS + t;
      unit[i] = 100_000 + u;
      year[i] = 2000 + t;
      for (let c = 1; c < NUMERIC.length; c++) cols[c]![i] = effect * c + rng.normal();
      cols[0]![i] = rng.uniform() < 0.01 ? Number.NaN : 1 + 0.5 * cols[1]![i]! + effect + 0.02 * t + rng.normal();
    }
  }
  const columns: Record<string, Float64Array> = { unit, year };
  NUMERIC.forEach((name, c) => (columns[name] = cols[c]!));
  const frame = PanelFrame.fromColumns(columns, options);
  await writePanel(frame, join(dir, 'panel.parquet'));
  await writePanel(frame, join(dir, 'panel.csv'));
}

if (process.env.PANEL_IO_GENERATE) {
  const [dir, units] = process.env.PANEL_IO_GENERATE.split('|');
  await generate(dir!, Number(units));
}

const generated = new Map<number, string>();

function filesFor(units: number): string {
  const cached = generated.get(units);
  if (cached && existsSync(join(cached, 'panel.csv'))) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'panel-io-bench-'));
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@panel-lab/source', fileURLToPath(import.meta.url)], {
    env: { ...process.env, PANEL_IO_GENERATE: `${dir}|${units}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`panel-io: generating the ${units}-unit panel failed (exit ${child.status})`);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  generated.set(units, dir);
  return dir;
}

function readCase(format: 'parquet' | 'csv', units: number): BenchCase {
  return {
    name: `read-validate-${format}`,
    params: { format, units, years: YEARS, rows: units * YEARS, numeric_columns: NUMERIC.length },
    setup: () => {
      const path = join(filesFor(units), `panel.${format}`);
      return { path, bytes: statSync(path).size };
    },
    run: async (prepared) => {
      const { path, bytes } = prepared as { path: string; bytes: number };
      const frame = await readPanel(path, options); // readPanel validates (unit/time present, no duplicate pairs)
      if (frame.nrows !== units * YEARS) throw new Error(`read ${frame.nrows} rows, expected ${units * YEARS}`);
      // The 1-minute load average says how contended the (shared) machine was while timing.
      const rss = process.memoryUsage().rss;
      const load = loadavg()[0]!;
      return {
        file_bytes: bytes,
        rows: frame.nrows,
        rss_after_read_bytes: rss,
        load_avg_1m: load,
        note: `file ${(bytes / 2 ** 20).toFixed(0)} MiB; RSS after read ${(rss / 2 ** 20).toFixed(0)} MiB; 1-min load ${load.toFixed(1)}`,
      };
    },
  };
}

export const suite: BenchSuite = {
  name: 'panel-io',
  description:
    'readPanel + validatePanel of a units x 20-year panel with 6 numeric columns (large: 100,000 units = 2,000,000 rows), ' +
    'from Parquet (zstd, parquet-wasm) and from CSV (papaparse). Parquet runs first, so its peak RSS is its own; ' +
    "the CSV case's peak RSS is the process peak over both.",
  cases: (scale) => [readCase('parquet', UNITS[scale]), readCase('csv', UNITS[scale])],
};
