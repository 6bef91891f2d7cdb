// Panel IO: read a panel of `units` x 20 years with 6 numeric columns from Parquet, Arrow IPC and CSV
// (DuckDB's streaming readers for CSV and Parquet), and R's data.table::fread on the same CSV in the
// same run (benchmarks/r/fread.R), with column sums compared so both are seen to read the same numbers.
// The files are generated once per size into a temp dir by a child process (this same file, run with
// PANEL_IO_GENERATE set), so generation does not count in this process's peak memory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@panel-lab/compute';
import { PanelFrame, readPanel, readTable, writePanel, type PanelFormat } from '@panel-lab/panel';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';

export type Table = Awaited<ReturnType<typeof readTable>>;

const YEARS = 20;
/** Units per size (x 20 years): large runs 2,000,000 and 10,000,000 rows. */
const UNITS: Record<Scale, readonly number[]> = { quick: [1_000], seed: [10_000], large: [100_000, 500_000] };
const NUMERIC = ['y', 'x1', 'x2', 'x3', 'x4', 'x5'] as const;
const options = { unit: 'unit', time: 'year' };
const EXTENSION: Record<PanelFormat, string> = { csv: 'csv', parquet: 'parquet', arrow: 'arrow' };
/** What reads each format here: these plainly all-numeric CSV files take the WebAssembly fast path, with no DuckDB sniff. */
const READER: Record<PanelFormat, string> = { csv: 'all-numeric fast path (WebAssembly, a thread per core)', parquet: 'DuckDB (streaming)', arrow: 'apache-arrow IPC' };

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
  for (const format of ['parquet', 'arrow', 'csv'] as const) await writePanel(frame, join(dir, `panel.${EXTENSION[format]}`));
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
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@panel-lab/source', fileURLToPath(import.meta.url)], {
    env: { ...process.env, PANEL_IO_GENERATE: `${dir}|${units}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`panel-io: generating the ${units}-unit panel failed (exit ${child.status})`);
  generated.set(units, dir);
  return dir;
}

/** Row count and the sum of every numeric column (NaN skipped): what fread.R reports for the same file. */
function columnSums(table: Table): Record<string, number> {
  const out: Record<string, number> = { rows: table.numRows };
  for (const field of table.schema.fields) {
    const data = table.getChild(field.name)!.data;
    if (data.length !== 1 || !(data[0]!.values instanceof Float64Array)) continue;
    const values = data[0]!.values;
    let sum = 0;
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) sum += values[i]!;
    out[`sum_${field.name}`] = sum;
  }
  return out;
}

/** The fread peer's estimate: column sums of the table the last timed run left in `prepared.last` (taken after the timing, as R's). */
export function lastTableSums(_extra: Record<string, unknown>, prepared: unknown): Record<string, number> {
  return columnSums((prepared as { last: Table }).last);
}

/**
 * One read: `validate` times readPanel (read + normalise + validatePanel), otherwise readTable (the read
 * into Float64 columns alone, the work fread does), which is the case timed against fread.
 */
function readCase(format: PanelFormat, units: number, validate: boolean): BenchCase {
  const rows = units * YEARS;
  const withPeer = format === 'csv' && !validate;
  return {
    name: `${validate ? 'read-validate' : 'read'}-${format}-${rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`}`,
    params: { format, units, years: YEARS, rows, numeric_columns: NUMERIC.length, validate, reader: READER[format] },
    setup: () => {
      const path = join(filesFor(units), `panel.${EXTENSION[format]}`);
      return { path, bytes: statSync(path).size };
    },
    run: async (prepared) => {
      const state = prepared as { path: string; bytes: number; last?: Table };
      const { path, bytes } = state;
      state.last = undefined; // the previous run's table is not kept alive through this read
      const table = validate ? (await readPanel(path, options)).table : await readTable(path);
      // the column sums R is compared on are taken after the timed runs (fread's timing excludes them too)
      if (withPeer) state.last = table;
      if (table.numRows !== rows) throw new Error(`read ${table.numRows} rows, expected ${rows}`);
      const rss = process.memoryUsage().rss;
      const load = loadavg()[0]!;
      return {
        file_bytes: bytes,
        rows: table.numRows,
        rss_after_read_bytes: rss,
        load_avg_1m: load,
        note: `file ${(bytes / 2 ** 20).toFixed(0)} MiB; RSS after read ${(rss / 2 ** 20).toFixed(0)} MiB; 1-min load ${load.toFixed(1)}`,
      };
    },
    ...(withPeer
      ? {
          rPeer: {
            pkg: 'data.table',
            script: 'fread.R',
            args: (prepared: unknown) => ({ file: (prepared as { path: string }).path, threads: 2, reps: 3 }),
            estimate: lastTableSums,
            timeoutMs: 20 * 60_000,
          },
        }
      : {}),
  };
}

/**
 * DuckDB's own parse of the CSV: an aggregate over every numeric column, nothing handed to JavaScript.
 * No reader built on DuckDB can be faster than this on the same machine, so it shows how much of the
 * read is DuckDB and how far its floor is from fread's time.
 */
function duckdbFloorCase(units: number): BenchCase {
  const rows = units * YEARS;
  return {
    name: `scan-csv-duckdb-${rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`}`,
    params: { format: 'csv', units, years: YEARS, rows, numeric_columns: NUMERIC.length, reader: 'DuckDB aggregate only (floor of a DuckDB reader)' },
    setup: async () => {
      const path = join(filesFor(units), 'panel.csv');
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const instance = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
      return { path, connection: await instance.connect() };
    },
    run: async (prepared) => {
      const { path, connection } = prepared as { path: string; connection: import('@duckdb/node-api').DuckDBConnection };
      const columns = ['unit', 'year', ...NUMERIC].map((c) => `'${c}': 'DOUBLE'`).join(', ');
      const reader = await connection.runAndReadAll(
        `SELECT count(*), ${NUMERIC.map((c) => `sum(${c})`).join(', ')} FROM read_csv('${path.replace(/'/g, "''")}', header=true, auto_detect=false, columns={${columns}})`,
      );
      const counted = Number(reader.getRowsJson()[0]![0]);
      if (counted !== rows) throw new Error(`DuckDB counted ${counted} rows, expected ${rows}`);
      return { rows: counted, load_avg_1m: loadavg()[0]!, note: `1-min load ${loadavg()[0]!.toFixed(1)}` };
    },
  };
}

export const suite: BenchSuite = {
  name: 'panel-io',
  description:
    'Reading a units x 20-year panel with 6 numeric columns (large: 100,000 and 500,000 units = 2M and 10M rows): ' +
    'Parquet through DuckDB (streaming, multi-threaded, converted chunk by chunk), these plainly all-numeric CSV files through the WebAssembly fast path (no DuckDB sniff: the header and data leave it no choice; scan-csv-duckdb times DuckDB\'s own parse, the floor of a DuckDB reader), Arrow IPC through apache-arrow. ' +
    '`read-*` times readTable (into Float64 columns, the work fread does; CSV against data.table::fread, 2 threads, same file, same run, ' +
    'column sums compared); `read-validate-*` times readPanel (read + validatePanel). Cases run in one process, so a later case\'s ' +
    'peak RSS is the peak over the cases before it.',
  cases: (scale) =>
    UNITS[scale].flatMap((units) => [
      readCase('parquet', units, false),
      readCase('arrow', units, false),
      readCase('csv', units, false),
      readCase('csv', units, true),
      duckdbFloorCase(units),
    ]),
};
