import { readFileSync } from 'node:fs';
import Papa from 'papaparse';

/** A bundled fact table: header names and rows of raw strings (blank cell = ''). */
export interface CsvTable {
  readonly file: string;
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/** Reads a CSV from this package's data/ folder; parse errors name the file and row. */
export function readDataCsv(file: string): CsvTable {
  const path = new URL(`../data/${file}`, import.meta.url).pathname;
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), {
    header: true,
    skipEmptyLines: true,
    dynamicTyping: false,
  });
  const first = parsed.errors[0];
  if (first) throw new Error(`${file}: CSV parse error at row ${first.row ?? '?'}: ${first.message}`);
  return { file, rows: parsed.data };
}

/** A numeric cell or null when blank; a non-numeric cell is an error naming file, line and column. */
export function cellNumber(table: CsvTable, row: number, column: string): number | null {
  const raw = table.rows[row]?.[column];
  if (raw === undefined || raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new Error(`${table.file}: line ${row + 2} column '${column}' is not a number (got '${raw}')`);
  }
  return value;
}
