// Panel IO past memory-sized strings: readPanel of one big CSV (large scale: 5 GB, ~40M rows), generated
// on the fly into a temp dir by a child process and deleted afterwards, with its time and this process's
// peak RSS; data.table::fread reads the same file in the same run. Before the DuckDB reader, a CSV over
// ~512 MiB failed with ERR_STRING_TOO_LONG. Run it explicitly: `npm run bench -- --suite panel-io-huge --scale large`.
import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, fsyncSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@panel-lab/compute';
import { readPanel, readTable } from '@panel-lab/panel';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { lastTableSums, type Table } from './panel-io.js';

const YEARS = 20;
/** Target file size per scale; quick and seed keep the case cheap where every suite runs. */
const BYTES: Record<Scale, number> = { quick: 64 * 2 ** 20, seed: 2 ** 30, large: 5e9 };
const COLUMNS = ['unit', 'year', 'y', 'x1', 'x2', 'x3', 'x4', 'x5'];

/** Writes whole units (20 rows each) of seeded numbers until the file reaches `bytes`; prints the row count. */
async function generate(path: string, bytes: number): Promise<void> {
  const rng = createRng(20_261_204);
  // A pool of formatted numbers keeps generation at disk speed; rows draw from it at random.
  const pool = Array.from({ length: 1 << 16 }, () => String(rng.normal() * 3));
  const mask = pool.length - 1;
  const out = createWriteStream(path);
  let written = 0;
  let rows = 0;
  let piece = `${COLUMNS.join(',')}\n`;
  for (let unit = 100_000; written + piece.length < bytes; unit++) {
    for (let t = 0; t < YEARS; t++) {
      const y = rng.uniform() < 0.01 ? '' : pool[(rng.uniform() * 65536) & mask];
      piece += `${unit},${2000 + t},${y}`;
      for (let c = 0; c < 5; c++) piece += `,${pool[(rng.uniform() * 65536) & mask]}`;
      piece += '\n';
      rows++;
    }
    if (piece.length > 1 << 20) {
      written += piece.length;
      if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      piece = '';
    }
  }
  written += piece.length;
  out.write(piece);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  process.stdout.write(`${rows}\n`);
}

if (process.env.PANEL_IO_HUGE_GENERATE) {
  const [path, bytes] = process.env.PANEL_IO_HUGE_GENERATE.split('|');
  await generate(path!, Number(bytes));
}

function generateFile(bytes: number): { path: string; rows: number; seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'panel-io-huge-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'panel.csv');
  const t0 = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@panel-lab/source', fileURLToPath(import.meta.url)], {
    env: { ...process.env, PANEL_IO_HUGE_GENERATE: `${path}|${bytes}` },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`panel-io-huge: generating the ${bytes}-byte CSV failed (exit ${child.status})`);
  const rows = Number(child.stdout.trim().split('\n').pop());
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // the file's pages reach the disk before any timed read: a read racing the write-back of 5 GB took
  // twice as long (21 s against 10 s for the read after it) and fread, timed last, never raced it
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { path, rows, seconds };
}

let cached: { path: string; rows: number; seconds: number; bytes: number } | undefined;

/** The file is generated once per process and shared by both cases. */
function hugeFile(scale: Scale): { path: string; rows: number; seconds: number; bytes: number } {
  if (!cached) {
    const file = generateFile(BYTES[scale]);
    cached = { ...file, bytes: statSync(file.path).size };
  }
  return cached;
}

/** `validate`: readPanel (read + validatePanel); otherwise readTable, the read alone, timed against fread. */
function hugeCase(scale: Scale, validate: boolean): BenchCase {
  const size = scale === 'large' ? '5GB' : `${(BYTES[scale] / 2 ** 20).toFixed(0)}MiB`;
  return {
    name: `${validate ? 'read-validate' : 'read'}-csv-${size}`,
    params: { format: 'csv', target_bytes: BYTES[scale], years: YEARS, numeric_columns: 6, validate, reader: 'all-numeric fast path (WebAssembly, a thread per core)' },
    setup: () => hugeFile(scale),
    run: async (prepared) => {
      const state = prepared as { path: string; rows: number; bytes: number; seconds: number; last?: Table };
      const { path, rows, bytes, seconds } = state;
      state.last = undefined; // the previous run's table is not kept alive through this read
      const table = validate ? (await readPanel(path, { unit: 'unit', time: 'year' })).table : await readTable(path);
      // the column sums R is compared on are taken after the timed runs (fread's timing excludes them too)
      if (!validate) state.last = table;
      if (table.numRows !== rows) throw new Error(`read ${table.numRows} rows, expected ${rows}`);
      const peak = process.resourceUsage().maxRSS * 1024;
      const load = loadavg()[0]!;
      return {
        file_bytes: bytes,
        rows,
        generate_seconds: seconds,
        load_avg_1m: load,
        note: `file ${(bytes / 1e9).toFixed(2)} GB, ${rows.toLocaleString('en-US')} rows; peak RSS ${(peak / 2 ** 30).toFixed(2)} GiB (process so far); 1-min load ${load.toFixed(1)}`,
      };
    },
    ...(validate
      ? {}
      : {
          rPeer: {
            pkg: 'data.table',
            script: 'fread.R',
            args: (prepared: unknown) => ({ file: (prepared as { path: string }).path, threads: 2, reps: 1 }),
            estimate: lastTableSums,
            timeoutMs: 40 * 60_000,
          },
        }),
  };
}

export const suite: BenchSuite = {
  name: 'panel-io-huge',
  description:
    'One generated CSV of 5 GB at large scale (64 MiB quick, 1 GiB seed): units x 20 years, 6 numeric columns, ~1% of y missing, ' +
    'read by the all-numeric fast path (no DuckDB sniff: the file is plainly all-numeric). `read-csv-*`: readTable (the read alone) first, so its peak RSS is its own, against ' +
    'data.table::fread (2 threads) on the same file in the same run (one warm-up, one timed read), column sums compared; ' +
    '`read-validate-csv-*`: readPanel (read + validatePanel). One run each, no warm-up; generation runs in a child process.',
  repeat: { warmup: 0, runs: 1 },
  cases: (scale) => [hugeCase(scale, false), hugeCase(scale, true)],
};
