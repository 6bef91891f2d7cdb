import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBVarCharVector } from '@duckdb/node-api';
import type Bindings from '@duckdb/node-bindings';
import type { Vector } from 'apache-arrow';
import { CategoricalSink, DEFAULT_BLOCK_ROWS, NumericSink } from './column-sinks.js';
import { numericVector } from './columns.js';
import { noteFinite } from './non-finite.js';

/**
 * DuckDB as the file reader: its CSV and Parquet scanners are multi-threaded and stream, so a file
 * of any size is read in bounded memory and converted chunk by chunk into the frame's columns.
 * One in-process instance serves every read; each read gets its own connection.
 */
let instance: Promise<DuckDBInstance> | undefined;
// Loaded with the first read, so importing the package (the CLI's --help, the GPU bundle, which has no
// DuckDB) does not load the native addon.
let bindings: typeof Bindings;

function sharedInstance(): Promise<DuckDBInstance> {
  instance ??= (async () => {
    // Both are CommonJS. Through require, not import(): import() first runs Node's CommonJS export
    // lexer over the ~180 files @duckdb/node-api re-exports, which took twice as long as loading them.
    const require = createRequire(import.meta.url);
    const api = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
    bindings = require('@duckdb/node-bindings') as typeof Bindings;
    return api.DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
  })();
  return instance;
}

export async function withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await (await sharedInstance()).connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/**
 * Runs `work` with a path DuckDB reads as this one file. DuckDB treats `*`, `?`, `[` and `{` in a path
 * as a glob (a file named `a*.csv` would read every match), so such a path is read through a symlink
 * with a plain name in a fresh temp folder, removed afterwards.
 */
export async function withPlainPath<T>(path: string, work: (plain: string) => Promise<T>): Promise<T> {
  if (!/[*?[\]{}]/.test(path)) return work(path);
  const dir = await mkdtemp(join(tmpdir(), 'panel-read-'));
  try {
    const link = join(dir, `file${extname(path)}`);
    await symlink(resolve(path), link);
    return await work(link);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A SQL list of string literals. */
export function sqlList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(', ')}]`;
}

/** A quoted SQL identifier. */
export function sqlName(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export type StreamKind = 'numeric' | 'categorical';

/** A streamed column. Numeric ones come with their counts of NaN (missing) and +-Infinity values and the first infinite rows. */
export type StreamedColumn =
  | { kind: 'numeric'; values: Float64Array; nulls: number; infinities: number; infiniteRows: readonly number[]; validity?: Uint8Array }
  | { kind: 'categorical'; codes: Int32Array; levels: string[] };

/**
 * Runs a query whose columns are DOUBLE (`numeric`) or VARCHAR (`categorical`) and streams its
 * result into column sinks, one chunk at a time: DuckDB's result and our copy never both hold the
 * whole table.
 */
export async function streamColumns(
  connection: DuckDBConnection,
  sql: string,
  kinds: readonly StreamKind[],
  sizing: { blockRows?: number; expectedRows?: number; sourceRows?: Promise<number | undefined> } = {},
): Promise<{ rows: number; columns: StreamedColumn[] }> {
  const blockRows = sizing.blockRows ?? DEFAULT_BLOCK_ROWS;
  const first = sizing.expectedRows ?? blockRows;
  const sinks = kinds.map((k) => (k === 'numeric' ? new NumericSink(blockRows, first) : new CategoricalSink(blockRows, first)));
  const onChunk = (chunk: DuckDBDataChunk, n: number) => appendChunk(chunk, sinks, n);
  await streamChunksChecked(connection, sql, sizing.sourceRows ?? Promise.resolve(undefined), onChunk);
  const rows = sinks[0]?.length ?? 0;
  const columns = sinks.map((sink): StreamedColumn =>
    sink instanceof NumericSink
      ? { kind: 'numeric', nulls: sink.nulls, infinities: sink.infinities, infiniteRows: sink.infiniteRows, values: sink.finish() }
      : { kind: 'categorical', levels: sink.levels, codes: sink.finish() },
  );
  return { rows, columns };
}

/** The frame vector of a streamed numeric column, from the counts its sink took while copying (no further pass). */
export function streamedNumericVector(column: Extract<StreamedColumn, { kind: 'numeric' }>): Vector {
  if (column.infinities === 0) noteFinite(column.values);
  return numericVector(column.values, column.nulls, column.validity);
}

/** DuckDB's buffer between its scan threads and the consumer of a streamed result (its default, about 1 MB, stalls the scan). */
const STREAMING_BUFFER = '32MB';

/**
 * Streams a query's result chunk by chunk to `onChunk` (with the number of rows to take from it).
 *
 * A streaming DuckDB result that fails midway (a bad token on line 300,000) ends exactly like one
 * that is done: the Node API does not surface the error. So the rows streamed are checked against
 * `sourceRows`, the rows the source yields when read whole (a Parquet footer's count, a CSV file's
 * line count), known apart from the scan. When they differ or are unknown (quoted line breaks, blank
 * lines, or a failed scan), the query is run once more unstreamed: it raises the error the stream
 * swallowed, or gives the true count, which must equal the rows streamed. (An end-marker row added
 * with UNION ALL did the same but serialised DuckDB's scan: the 10M-row CSV read took twice as long.)
 */
export async function streamChunksChecked(
  connection: DuckDBConnection,
  sql: string,
  sourceRows: Promise<number | undefined>,
  onChunk: (chunk: DuckDBDataChunk, rows: number) => void,
): Promise<number> {
  await connection.run(`SET streaming_buffer_size = '${STREAMING_BUFFER}'`);
  const result = await connection.stream(sql);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    rows += chunk.rowCount;
    onChunk(chunk, chunk.rowCount);
  }
  if ((await sourceRows) === rows) return rows;
  // every column is counted, so each is cast again: a stray token raises DuckDB's error here
  const counted = await connection.runAndReadAll(`SELECT count(*), count(COLUMNS(*)) FROM (${sql})`);
  const total = Number(counted.getRowsJson()[0]![0]);
  if (total !== rows) throw new Error(`DuckDB stream ended after ${rows} of ${total} rows, and the query succeeded when run again`);
  return rows;
}

function appendChunk(chunk: DuckDBDataChunk, sinks: readonly (NumericSink | CategoricalSink)[], n: number): void {
  for (let c = 0; c < sinks.length; c++) {
    const sink = sinks[c]!;
    if (sink instanceof NumericSink) {
      // The raw DOUBLE buffer and validity mask of the chunk's vector, copied straight into the sink.
      const vector = bindings.data_chunk_get_vector(chunk.chunk, c);
      const bytes = bindings.vector_get_data(vector, n * 8);
      const validity = bindings.vector_get_validity(vector, Math.ceil(n / 64) * 8) as Uint8Array | null;
      sink.append(new Float64Array(bytes.buffer, bytes.byteOffset, n), validity);
    } else {
      const vector = chunk.getColumnVector(c) as DuckDBVarCharVector;
      sink.append(n, (i) => vector.getItem(i));
    }
  }
}

/** The first line of a DuckDB error (the rest repeats the options it ran with). */
export function duckdbReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0]!.trim();
  // DuckDB names the encoding fault on a later line of its message
  return /Invalid unicode/i.test(message) ? `${first}: the file is not UTF-8 encoded (invalid byte sequence); save it as UTF-8` : first;
}
