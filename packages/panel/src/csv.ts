import Papa from 'papaparse';
import { Table, type Vector } from 'apache-arrow';
import { categoricalVector, numericVector } from './columns.js';
import { PanelError } from './errors.js';
import { DEFAULT_NA_VALUES } from './read-options.js';

export interface CsvTableOptions {
  readonly categorical?: readonly string[];
  readonly naValues?: readonly string[];
  /** Columns that must come out numeric (e.g. the time column); a string column here is an error. */
  readonly numeric?: readonly string[];
}

/** How many offending rows an error message lists. */
const ROWS_IN_MESSAGE = 5;
/** Decimal numbers only: Number() alone would also accept "0x1F", "1_000" is refused by both. */
const NUMBER_PATTERN = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$|^\s*[+-]?Infinity\s*$/;
/** R and Stata spell infinity "Inf"; Number() does not accept it. */
const INF_PATTERN = /^\s*[+-]?[Ii]nf\s*$/;

/** One CSV column being filled chunk by chunk. Its kind is fixed at the first chunk with a value. */
class ColumnBuilder {
  kind: 'undecided' | 'numeric' | 'categorical';
  numbers: Float64Array;
  codes: Int32Array;
  readonly levelIndex = new Map<string, number>();
  length = 0;
  strayCount = 0;
  readonly strayRows: { row: number; token: string }[] = [];

  constructor(
    readonly name: string,
    forced: 'numeric' | 'categorical' | undefined,
  ) {
    this.kind = forced ?? 'undecided';
    this.numbers = new Float64Array(0);
    this.codes = new Int32Array(0);
  }

  reserve(n: number): void {
    if (this.numbers.length < n && this.kind !== 'categorical') this.numbers = grow(this.numbers, n) as Float64Array;
    if (this.codes.length < n && this.kind === 'categorical') this.codes = grow(this.codes, n) as Int32Array;
  }
}

function grow<T extends Float64Array | Int32Array>(a: T, n: number): T {
  const size = Math.max(n, Math.ceil(a.length * 1.5), 1024);
  const out = new (a.constructor as new (k: number) => T)(size);
  out.set(a);
  return out;
}

/**
 * Parses CSV text (header row first) into an Arrow table: numeric columns as Float64 (NaN = NA),
 * string columns as dictionary-encoded categoricals. A column's kind is decided on the first chunk
 * of rows (about 1 MB) where it has a value: mostly numbers -> numeric (any later non-numeric token is
 * an error naming the column and first rows), otherwise categorical.
 */
export function parseCsvTable(text: string, options: CsvTableOptions = {}): Table {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark written by Excel
  if (text.trim() === '') throw new PanelError('empty file: no header and no rows');
  const na = new Set(options.naValues ?? DEFAULT_NA_VALUES);
  const categorical = new Set(options.categorical ?? []);
  const mustBeNumeric = new Set(options.numeric ?? []);
  let builders: ColumnBuilder[] | undefined;
  let row = 0;
  const shapeErrors: string[] = [];

  // The typings only allow `chunk` with File input; with a string it runs synchronously, chunk by chunk.
  const parseChunked = Papa.parse as unknown as (input: string, config: object) => void;
  parseChunked(text, {
    header: false,
    skipEmptyLines: true,
    chunkSize: 2 ** 20, // ~1 MB of text per chunk: its row arrays die young, which keeps GC cheap
    chunk(results: Papa.ParseResult<string[]>) {
      let rows = results.data;
      if (!builders) {
        const header = rows[0]!.map((h) => h.trim());
        builders = makeBuilders(header, categorical, mustBeNumeric);
        rows = rows.slice(1);
      }
      for (let r = 0; r < rows.length; r++) {
        const fields = rows[r]!.length;
        if (fields !== builders.length && shapeErrors.length < ROWS_IN_MESSAGE) {
          shapeErrors.push(`row ${row + r + 1} has ${fields} fields, expected ${builders.length}`);
        }
      }
      if (shapeErrors.length) return;
      for (let c = 0; c < builders.length; c++) fillColumn(builders[c]!, rows, c, row, na);
      row += rows.length;
    },
  });
  if (shapeErrors.length) throw new PanelError(`malformed CSV: ${shapeErrors.join('; ')}`, {});
  if (!builders) throw new PanelError('empty file: no header');
  if (row === 0) throw new PanelError(`file has a header (${builders.map((b) => b.name).join(', ')}) but no data rows`);

  const vectors: Record<string, Vector> = {};
  for (const b of builders) {
    if (b.strayCount > 0) {
      const shown = b.strayRows.map((s) => `${s.row} ('${s.token}')`).join(', ');
      throw new PanelError(
        `column '${b.name}' is numeric but has ${b.strayCount} non-numeric value(s), first at row(s) ${shown} ` +
          `(rows count data lines from 1); fix them, add the token to naValues, or list '${b.name}' in categorical`,
        { column: b.name, rows: b.strayRows.map((s) => s.row - 1) },
      );
    }
    if (b.kind === 'categorical') {
      if (mustBeNumeric.has(b.name)) {
        throw new PanelError(`column '${b.name}' must be numeric but holds text values`, { column: b.name });
      }
      vectors[b.name] = categoricalVector(b.codes.subarray(0, row), Array.from(b.levelIndex.keys()));
    } else {
      if (b.kind === 'undecided') b.reserve(row); // an all-missing column: numeric, all NaN
      vectors[b.name] = numericVector(b.numbers.slice(0, row));
    }
  }
  return new Table(vectors);
}

function makeBuilders(header: string[], categorical: Set<string>, numeric: Set<string>): ColumnBuilder[] {
  const seen = new Set<string>();
  for (const [i, name] of header.entries()) {
    if (name === '') throw new PanelError(`header field ${i + 1} is empty: every column needs a name`);
    if (seen.has(name)) throw new PanelError(`duplicate column name '${name}' in header`, { column: name });
    seen.add(name);
  }
  for (const name of categorical) {
    if (!seen.has(name)) throw new PanelError(`categorical column '${name}' not in header: ${header.join(', ')}`, { column: name });
  }
  return header.map((name) => new ColumnBuilder(name, categorical.has(name) ? 'categorical' : numeric.has(name) ? 'numeric' : undefined));
}

function fillColumn(b: ColumnBuilder, rows: string[][], c: number, firstRow: number, na: Set<string>): void {
  if (b.kind === 'undecided') decideKind(b, rows, c, na);
  b.reserve(firstRow + rows.length);
  if (b.kind === 'categorical') {
    const codes = b.codes;
    for (let r = 0; r < rows.length; r++) {
      const token = rows[r]![c]!;
      if (na.has(token)) {
        codes[firstRow + r] = -1;
        continue;
      }
      let code = b.levelIndex.get(token);
      if (code === undefined) {
        code = b.levelIndex.size;
        b.levelIndex.set(token, code);
      }
      codes[firstRow + r] = code;
    }
    return;
  }
  const numbers = b.numbers;
  let naMaxLength = 0;
  for (const t of na) naMaxLength = Math.max(naMaxLength, t.length);
  for (let r = 0; r < rows.length; r++) {
    const token = rows[r]![c]!;
    let v = Number.NaN;
    // Most numeric tokens are longer than any NA token: skip the set lookup for them.
    if (token.length > naMaxLength || !na.has(token)) {
      v = parseNumber(token);
      if (v !== v) {
        b.strayCount++;
        if (b.strayRows.length < ROWS_IN_MESSAGE) b.strayRows.push({ row: firstRow + r + 1, token });
      }
    }
    numbers[firstRow + r] = v;
  }
}

/** Fixes a column's kind from the first chunk where it has values: mostly numbers -> numeric. */
function decideKind(b: ColumnBuilder, rows: string[][], c: number, na: Set<string>): void {
  let numbers = 0;
  let others = 0;
  for (const r of rows) {
    const token = r[c]!;
    if (na.has(token)) continue;
    const v = parseNumber(token);
    if (v === v) numbers++;
    else others++;
  }
  if (numbers + others === 0) return;
  b.kind = numbers > others ? 'numeric' : 'categorical';
  if (b.kind === 'categorical') b.numbers = new Float64Array(0);
}

/** A decimal number, or NaN when the token is not one. */
export function parseNumber(token: string): number {
  const v = Number(token);
  if (v !== v) return INF_PATTERN.test(token) ? (token.includes('-') ? -Infinity : Infinity) : Number.NaN;
  // Number() also accepts "", " ", "0x1F", "0b1", "0o7": refuse them. Fast path for the usual
  // token that starts with a digit, sign or point and is not a 0x/0b/0o literal.
  const c0 = token.charCodeAt(0);
  const startsPlain = (c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 46;
  if (startsPlain && !(c0 === 48 && isRadixLetter(token.charCodeAt(1)))) return v;
  return NUMBER_PATTERN.test(token) ? v : Number.NaN;
}

function isRadixLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower === 120 || lower === 98 || lower === 111; // x, b, o
}

/**
 * Writes a table as CSV: NA as an empty field, numbers in shortest round-trip form, text quoted when
 * needed. Yields the text in pieces of `rowsPerPiece` rows (the header with the first), so a table of
 * any size is written without one string over V8's ~512 MiB limit.
 */
export function* formatCsvPieces(
  table: Table,
  valuesOf: (name: string) => Float64Array | { codes: Int32Array; levels: readonly string[] },
  rowsPerPiece = 65_536,
): Generator<string> {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => {
    const v = valuesOf(n);
    if (v instanceof Float64Array) return (i: number) => (v[i] !== v[i] ? '' : Object.is(v[i], -0) ? '-0' : String(v[i]));
    const quoted = v.levels.map(quoteField);
    return (i: number) => {
      const c = v.codes[i]!;
      return c < 0 ? '' : quoted[c]!;
    };
  });
  let lines: string[] = [names.map(quoteField).join(',')];
  for (let i = 0; i < table.numRows; i++) {
    let line = columns[0]!(i);
    for (let c = 1; c < columns.length; c++) line += ',' + columns[c]!(i);
    lines.push(line);
    if (lines.length >= rowsPerPiece) {
      yield lines.join('\n') + '\n';
      lines = [];
    }
  }
  if (lines.length) yield lines.join('\n') + '\n';
}

/** The whole table as one CSV string (small tables; `formatCsvPieces` for large ones). */
export function formatCsv(table: Table, valuesOf: (name: string) => Float64Array | { codes: Int32Array; levels: readonly string[] }): string {
  return Array.from(formatCsvPieces(table, valuesOf)).join('');
}

function quoteField(s: string): string {
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
