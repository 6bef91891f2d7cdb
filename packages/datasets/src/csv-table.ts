import { readFileSync } from 'node:fs';
import Papa from 'papaparse';

/** A fact table read from a bundled CSV: header names and rows of raw strings (blank = ''). */
export interface CsvTable {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/** Path of a file under this package's data/ folder. */
export function dataPath(file: string): string {
  return new URL(`../data/${file}`, import.meta.url).pathname;
}

/** Reads a bundled CSV as strings; parse errors name the file and row. */
export function readCsvTable(file: string): CsvTable {
  const text = readFileSync(dataPath(file), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true, dynamicTyping: false });
  const first = parsed.errors[0];
  if (first) throw new Error(`${file}: CSV parse error at row ${first.row ?? '?'}: ${first.message}`);
  return { file, columns: parsed.meta.fields ?? [], rows: parsed.data };
}

/** A required numeric cell; the error names file, row and column. */
export function numberCell(table: CsvTable, row: number, column: string): number {
  const raw = table.rows[row]?.[column];
  const value = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) {
    throw new Error(`${table.file}: row ${row + 2} column '${column}' is not a number (got '${raw ?? ''}')`);
  }
  return value;
}

/** An optional numeric cell: blank -> null. */
export function optionalNumberCell(table: CsvTable, row: number, column: string): number | null {
  const raw = table.rows[row]?.[column];
  if (raw === undefined || raw === '') return null;
  return numberCell(table, row, column);
}
