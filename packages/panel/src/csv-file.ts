import { open, stat } from 'node:fs/promises';
import type { DuckDBConnection, DuckDBVarCharVector } from '@duckdb/node-api';
import { Table, type Vector } from 'apache-arrow';
import { categoricalVector } from './columns.js';
import { parseNumber, type CsvTableOptions } from './csv.js';
import { DEFAULT_BLOCK_ROWS } from './column-sinks.js';
import { fastCsvLayout, prestartFastCsvWorkers, readNumericCsvFast, type FastCsvTuning } from './csv-fast.js';
import { duckdbReason, sqlList, sqlName, sqlString, streamChunksChecked, streamColumns, streamedNumericVector, withConnection, withPlainPath, type StreamedColumn, type StreamKind } from './duckdb-source.js';
import { PanelError } from './errors.js';
import { DEFAULT_NA_VALUES } from './read-options.js';

/** How many offending rows an error message lists. */
const ROWS_IN_MESSAGE = 5;
/** Non-missing values looked at to decide whether a column DuckDB typed as text is mostly numbers. */
const KIND_SAMPLE = 20_000;
/** DuckDB types that are numbers to us (read as DOUBLE). */
const NUMERIC_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'FLOAT', 'DOUBLE']);

export interface CsvFileTuning {
  /** Rows per block of the column sinks (tests use small ones to exercise the chunked conversion). */
  readonly blockRows?: number;
  /** Threads and block sizes of the all-numeric fast path (tests use small ones to exercise the split). */
  readonly fast?: FastCsvTuning;
}

interface Dialect {
  readonly delimiter: string;
  readonly names: readonly string[];
  readonly sniffed: readonly string[];
}

/**
 * Reads a CSV file into an Arrow table with DuckDB's streaming, multi-threaded CSV reader: numeric
 * columns as Float64 (NaN = NA), text columns as dictionary codes. Same typing rules and messages as
 * `parseCsvTable` (README "Column typing (CSV)"): the kind of a column DuckDB sees as text is decided
 * on its first non-missing values (mostly numbers -> numeric, and then any non-numeric token is an error).
 */
export async function readCsvFile(path: string, options: CsvTableOptions = {}, tuning: CsvFileTuning = {}): Promise<Table> {
  const { size } = await stat(path);
  if (size === 0) throw new PanelError(`empty file: '${path}'`);
  const head = await fileHead(path, size);
  if (head.trim() === '' && size <= HEAD_BYTES) throw new PanelError('empty file: no header and no rows');
  return withPlainPath(path, (plain) => readCsvPlain(plain, path, size, head, options, tuning));
}

/** readCsvFile on a path DuckDB reads literally (`plain`); messages name the path as given (`shown`). */
async function readCsvPlain(path: string, shown: string, size: number, head: string, options: CsvTableOptions, tuning: CsvFileTuning): Promise<Table> {
  const na = options.naValues ?? DEFAULT_NA_VALUES;
  const delimiter = headerDelimiter(head);
  // the fast path's workers start now (or are kept from an earlier read) when the first data line looks all-numeric
  prestartFastCsvWorkers(size, head, delimiter, na, tuning.fast);
  const plain = await readPlainNumericCsv(path, size, head, delimiter, na, options, tuning);
  if (plain instanceof Table) return plain;
  return readCsvWith(path, shown, size, head, na, options, tuning, plain ?? undefined);
}

/**
 * A file whose header and data leave DuckDB's sniffer no choice, read by the fast path without it:
 * a plain header (no quote, names neither empty nor repeated) split by its one delimiter, NA tokens
 * with no delimiter in them, no column asked to be text, and every data line plain numbers or NA
 * tokens (else the fast path gives up). The sniffer would find the same delimiter and numeric
 * columns, and the general read the same numbers (the tests compare both), so it is not run: it
 * costs about a sixth of a 2M-row read. Otherwise the file is read the general way; the delimiter
 * returned is the one the fast path was tried with and gave up on (not to be tried again).
 */
async function readPlainNumericCsv(
  path: string,
  size: number,
  head: string,
  delimiter: string,
  na: readonly string[],
  options: CsvTableOptions,
  tuning: CsvFileTuning,
): Promise<Table | string | null> {
  if (options.categorical?.length || na.some((token) => /[,\t;|]/.test(token))) return null;
  const names = plainHeader(head, delimiter);
  if (names === null) return null;
  const layout = fastCsvLayout(path, size, delimiter, names.length, na);
  if (layout === null) return null;
  const fast = await readNumericCsvFast(path, layout, tuning.fast);
  return fast ? tableOf(names, fast) : delimiter;
}

/** The header's names (trimmed, as DuckDB's header read gives them), or null when it is not plain: a quote, an empty or repeated name, or not valid UTF-8. */
function plainHeader(head: string, delimiter: string): string[] | null {
  const newline = head.indexOf('\n');
  if (newline === -1) return null;
  const line = head.slice(0, newline).replace(/\r$/, '');
  if (line.includes('"') || line.includes('\r') || line.includes('\uFFFD')) return null;
  const names = line.split(delimiter).map((name) => name.trim());
  if (names.some((name) => name === '') || new Set(names).size !== names.length) return null;
  return names;
}

/** The Arrow table of columns read: numeric ones as Float64 (NaN = NA), text ones as dictionary codes. */
function tableOf(names: readonly string[], columns: readonly StreamedColumn[]): Table {
  const vectors: Record<string, Vector> = {};
  columns.forEach((column, c) => {
    vectors[names[c]!] = column.kind === 'numeric' ? streamedNumericVector(column) : categoricalVector(column.codes, column.levels);
  });
  return new Table(vectors);
}

/**
 * readCsvPlain's general read: DuckDB sniffs the dialect and types; an all-numeric file may still take
 * the fast path, unless it gave up on this delimiter already (`fastTried`).
 */
async function readCsvWith(
  path: string,
  shown: string,
  size: number,
  head: string,
  na: readonly string[],
  options: CsvTableOptions,
  tuning: CsvFileTuning,
  fastTried: string | undefined,
): Promise<Table> {
  const categorical = new Set(options.categorical ?? []);
  const mustBeNumeric = new Set(options.numeric ?? []);
  return withConnection(async (connection) => {
    const dialect = await sniff(connection, path, na, head, shown);
    checkHeader(dialect.names, categorical);
    let read;
    try {
      const kinds: StreamKind[] = [];
      for (const [c, name] of dialect.names.entries()) {
        if (categorical.has(name)) {
          if (mustBeNumeric.has(name)) throw new PanelError(`column '${name}' must be numeric but holds text values`, { column: name });
          kinds.push('categorical');
        } else if (NUMERIC_TYPES.has(dialect.sniffed[c]!) || mustBeNumeric.has(name)) {
          kinds.push('numeric');
        } else {
          kinds.push((await mostlyNumbers(connection, path, dialect, name, na)) ? 'numeric' : 'categorical');
        }
      }
      // All-numeric files take the hand-written fast path when they qualify (csv-fast.ts); it gives
      // up (null) on anything the general read below might treat differently.
      const layout = kinds.every((k) => k === 'numeric') && dialect.delimiter !== fastTried ? fastCsvLayout(path, size, dialect.delimiter, dialect.names.length, na) : null;
      const fast = layout && (await readNumericCsvFast(path, layout, tuning.fast));
      read = fast
        ? { rows: fast[0]!.values.length, columns: fast }
        : await streamColumns(connection, `SELECT * FROM ${scan(path, dialect, na, kinds)}`, kinds, {
            blockRows: tuning.blockRows ?? DEFAULT_BLOCK_ROWS,
            ...(tuning.blockRows ? {} : { expectedRows: expectedRows(head, size) }),
            sourceRows: dataLines(path),
          });
    } catch (error) {
      if (error instanceof PanelError) throw error;
      throw await explainFailure(connection, path, dialect, na, error, shown);
    }
    if (read.rows === 0) throw new PanelError(`file has a header (${dialect.names.join(', ')}) but no data rows`);
    return tableOf(dialect.names, read.columns);
  });
}

const HEAD_BYTES = 65_536;

/** The file's first 64 KiB as text, without a byte-order mark. */
async function fileHead(path: string, size: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const probe = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(probe, 0, probe.length, 0);
    return probe.toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

/**
 * Lines after the header (a last line without a line break counts): the rows a complete scan yields
 * when no field holds a line break and no line is blank. Undefined when the file cannot be read
 * again; the caller then checks the scan another way.
 */
async function dataLines(path: string): Promise<number | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.allocUnsafe(LINE_COUNT_BUFFER);
    let breaks = 0;
    let last = NEWLINE;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const bytes = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) breaks++;
      last = bytes[bytesRead - 1]!;
    }
    return breaks + (last === NEWLINE ? 0 : 1) - 1;
  } catch {
    return undefined; // not an error of the read itself: completeness is then checked by a second scan
  } finally {
    await handle?.close();
  }
}

const NEWLINE = 0x0a;
const LINE_COUNT_BUFFER = 4 * 2 ** 20;

/** Data rows expected from the file size and the mean line length of its first 64 KiB (2% over, so one block usually holds them). */
function expectedRows(head: string, size: number): number {
  const lines = head.split('\n').length - 1;
  if (lines < 2) return DEFAULT_BLOCK_ROWS;
  const bytesPerLine = Buffer.byteLength(head.slice(0, head.lastIndexOf('\n') + 1)) / lines;
  return Math.ceil((size / bytesPerLine) * 1.02) + 16;
}

/** The delimiter that splits the header line most (outside quotes), as papaparse guessed; ',' when none does. */
function headerDelimiter(head: string): string {
  const line = head.split(/\r?\n/, 1)[0]!;
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', '\t', ';', '|']) {
    let count = 0;
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === candidate && !quoted) count++;
    }
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

/** DuckDB refuses an empty nullstr list; with no NA tokens, a token no text file holds stands in. */
function nullTokens(na: readonly string[]): string {
  return sqlList(na.length ? na : ['\u0001no NA tokens\u0001']);
}

/** `read_csv(...)` over the file with our dialect: header on line 1, RFC 4180 quotes, the NA tokens. */
function scan(path: string, dialect: Dialect, na: readonly string[], kinds: readonly StreamKind[] | 'text', extra = ''): string {
  const columns = dialect.names
    .map((name, c) => `${sqlString(name)}: '${kinds === 'text' || kinds[c] === 'categorical' ? 'VARCHAR' : 'DOUBLE'}'`)
    .join(', ');
  return (
    `read_csv(${sqlString(path)}, auto_detect=false, header=true, skip=0, delim=${sqlString(dialect.delimiter)}, quote='"', escape='"', ` +
    `nullstr=${nullTokens(na)}, columns={${columns}}${extra})`
  );
}

/** Delimiter (detected, as papaparse did), the header fields as written (trimmed), and DuckDB's type guess per column. */
async function sniff(connection: DuckDBConnection, path: string, na: readonly string[], head: string, shown: string): Promise<Dialect> {
  let delimiter = headerDelimiter(head);
  let sniffed: string[] = [];
  try {
    const reader = await connection.runAndReadAll(
      `SELECT Delimiter, Columns FROM sniff_csv(${sqlString(path)}, header=true, skip=0, quote='"', escape='"', ` +
        `nullstr=${nullTokens(na)}, auto_type_candidates=['BIGINT', 'DOUBLE', 'VARCHAR'])`,
    );
    const [row] = reader.getRowObjectsJson() as { Delimiter: string; Columns: { name: string; type: string }[] }[];
    // Ragged rows can make the sniffer settle on one column; the header line then decides the delimiter.
    if (row!.Columns.length > 1 || delimiter === row!.Delimiter) {
      delimiter = row!.Delimiter;
      sniffed = row!.Columns.map((c) => c.type);
    }
  } catch (error) {
    // The sniffer gives up on some malformed files; the header line's delimiter is used and the read reports the fault.
    if (!/sniff/i.test(duckdbReason(error))) throw new PanelError(`cannot read '${shown}' as CSV: ${duckdbReason(error)}`);
  }
  // DuckDB renames duplicate and empty header fields; read the header line as text to check them as written.
  const fieldCount = sniffed.length || countFields(head, delimiter);
  const headerScan =
    `read_csv(${sqlString(path)}, auto_detect=false, header=false, skip=0, delim=${sqlString(delimiter)}, quote='"', escape='"', ` +
    `null_padding=true, strict_mode=false, columns={${Array.from({ length: fieldCount }, (_, c) => `'c${c}': 'VARCHAR'`).join(', ')}})`;
  const header = await connection.runAndReadAll(`SELECT * FROM ${headerScan} LIMIT 1`);
  const names = ((header.getRows()[0] ?? []) as (string | null)[]).map((h) => (h ?? '').replace(/^\uFEFF/, '').trim());
  return { delimiter, names, sniffed: sniffed.length === names.length ? sniffed : names.map(() => 'VARCHAR') };
}

/** Fields on the header line (quotes respected). */
function countFields(head: string, delimiter: string): number {
  let count = 1;
  let quoted = false;
  for (const ch of head.split(/\r?\n/, 1)[0]!) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}

function checkHeader(header: readonly string[], categorical: ReadonlySet<string>): void {
  const seen = new Set<string>();
  for (const [i, name] of header.entries()) {
    if (name === '') throw new PanelError(`header field ${i + 1} is empty: every column needs a name`);
    if (seen.has(name)) throw new PanelError(`duplicate column name '${name}' in header`, { column: name });
    seen.add(name);
  }
  for (const name of categorical) {
    if (!seen.has(name)) throw new PanelError(`categorical column '${name}' not in header: ${header.join(', ')}`, { column: name });
  }
}

/** Whether most of a text-typed column's first non-missing values are numbers (then it is numeric). */
async function mostlyNumbers(connection: DuckDBConnection, path: string, dialect: Dialect, name: string, na: readonly string[]): Promise<boolean> {
  const column = sqlName(name);
  const sql = `SELECT ${column} FROM ${scan(path, dialect, na, 'text', ', null_padding=true, strict_mode=false')} WHERE ${column} IS NOT NULL LIMIT ${KIND_SAMPLE}`;
  const rows = (await connection.runAndReadAll(sql)).getRows() as [string][];
  let numbers = 0;
  for (const [token] of rows) if (parseNumber(token) === parseNumber(token)) numbers++;
  return rows.length === 0 || numbers > rows.length - numbers; // an all-missing column is numeric
}

/** Turns a failed read into the reader's own message: stray tokens in a numeric column, or ragged rows. */
async function explainFailure(connection: DuckDBConnection, path: string, dialect: Dialect, na: readonly string[], error: unknown, shown: string): Promise<Error> {
  const reason = duckdbReason(error);
  const message = error instanceof Error ? error.message : String(error);
  const column = /converting column "((?:[^"]|"")*)"/.exec(message)?.[1]?.replace(/""/g, '"');
  if (column !== undefined && dialect.names.includes(column)) {
    const strays = await strayTokens(connection, path, dialect, na, column);
    if (strays) return strays;
  }
  if (/Expected Number of Columns/.test(message)) return raggedRows(connection, path, dialect, na, shown);
  return new PanelError(`cannot read '${shown}' as CSV: ${reason}`);
}

/** Every non-numeric token of a numeric column, counted over the whole file, with the first rows named. */
async function strayTokens(connection: DuckDBConnection, path: string, dialect: Dialect, na: readonly string[], name: string): Promise<PanelError | null> {
  let row = 0;
  let count = 0;
  const first: { row: number; token: string }[] = [];
  const sql = `SELECT ${sqlName(name)} FROM ${scan(path, dialect, na, 'text', ', null_padding=true, strict_mode=false')}`;
  await streamChunksChecked(connection, sql, dataLines(path), (chunk, n) => {
    const vector = chunk.getColumnVector(0) as DuckDBVarCharVector;
    for (let i = 0; i < n; i++) {
      const token = vector.getItem(i);
      row++;
      if (token === null || parseNumber(token) === parseNumber(token)) continue;
      count++;
      if (first.length < ROWS_IN_MESSAGE) first.push({ row, token });
    }
  });
  if (count === 0) return null; // DuckDB refused a token we accept: its own message says which
  const shown = first.map((s) => `${s.row} ('${s.token}')`).join(', ');
  return new PanelError(
    `column '${name}' is numeric but has ${count} non-numeric value(s), first at row(s) ${shown} ` +
      `(rows count data lines from 1); fix them, add the token to naValues, or list '${name}' in categorical`,
    { column: name, rows: first.map((s) => s.row - 1) },
  );
}

let rejectTables = 0;

/** Rows with the wrong number of fields, from DuckDB's reject table (first five). */
async function raggedRows(connection: DuckDBConnection, path: string, dialect: Dialect, na: readonly string[], shown: string): Promise<PanelError> {
  const id = ++rejectTables;
  const tables = `, store_rejects=true, rejects_table='panel_rejects_${id}', rejects_scan='panel_scans_${id}'`;
  await connection.run(`SELECT count(*) FROM ${scan(path, dialect, na, 'text', tables)}`);
  const reader = await connection.runAndReadAll(
    `SELECT line, error_message FROM panel_rejects_${id} WHERE error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') ORDER BY line LIMIT ${ROWS_IN_MESSAGE}`,
  );
  const expected = dialect.names.length;
  const shapes = (reader.getRowsJson() as [string, string][]).map(([line, text]) => {
    const found = /Found: (\d+)/.exec(text)?.[1] ?? '?';
    return `row ${Number(line) - 1} has ${found} fields, expected ${expected}`; // line 1 is the header
  });
  await connection.run(`DROP TABLE IF EXISTS panel_rejects_${id}; DROP TABLE IF EXISTS panel_scans_${id}`);
  if (shapes.length === 0) throw new PanelError(`cannot read '${shown}' as CSV: rows with the wrong number of fields`);
  return new PanelError(`malformed CSV: ${shapes.join('; ')}`, {});
}
