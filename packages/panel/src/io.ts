import { open, readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { formatCsvPieces, parseCsvTable } from './csv.js';
import { readCsvFile } from './csv-file.js';
import { PanelError } from './errors.js';
import { PanelFrame } from './frame.js';
import { checkNonFinite } from './non-finite.js';
import { normalizeTable } from './normalize.js';
import { arrowToParquet } from './parquet-wasm.js';
import { readParquetFile } from './parquet-file.js';
import type { PanelFormat, ReadOptions } from './read-options.js';
import { validatePanel } from './validate.js';

const EXTENSIONS: Record<string, PanelFormat> = {
  '.csv': 'csv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
};

/** The format named by a path's extension; throws for an unknown one. */
export function formatFromPath(path: string): PanelFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format) {
    throw new PanelError(`cannot tell the format of '${path}' from its extension; use .csv, .parquet, .arrow, .feather or .ipc, or pass format`);
  }
  return format;
}

/** Parses CSV text into a validated panel frame. */
export function parseCsv(text: string, options: ReadOptions): PanelFrame {
  const table = parseCsvTable(text, { categorical: options.categorical, naValues: options.naValues, numeric: [options.time] });
  return checkedFrame(normalizeTable(table), options);
}

/**
 * Reads a table (no panel roles) from CSV, Parquet or Arrow IPC, e.g. a unit-level attribute table.
 * CSV and Parquet stream through DuckDB (multi-threaded, bounded memory, no file-size limit); Arrow
 * IPC columns are views into the file's bytes.
 */
export async function readTable(
  path: string,
  options: { format?: PanelFormat; categorical?: readonly string[]; naValues?: readonly string[] } = {},
): Promise<Table> {
  return readFileTable(path, options.format ?? formatFromPath(path), options);
}

/** Reads and validates a panel from CSV, Parquet or Arrow IPC (format from the extension unless given). */
export async function readPanel(path: string, options: ReadOptions & { format?: PanelFormat }): Promise<PanelFrame> {
  const format = options.format ?? formatFromPath(path);
  return checkedFrame(await readFileTable(path, format, { ...options, numeric: [options.time] }), options);
}

async function readFileTable(
  path: string,
  format: PanelFormat,
  options: { categorical?: readonly string[]; naValues?: readonly string[]; numeric?: readonly string[] },
): Promise<Table> {
  // Every reader ends in normalizeTable, the one place where what was read is checked as numbers and codes.
  if (format === 'csv') return normalizeTable(await readCsvFile(path, options));
  if (format === 'parquet') return normalizeTable(await readParquetFile(path, options.categorical));
  const bytes = await readFile(path);
  if (bytes.length === 0) throw new PanelError(`empty file: '${path}'`);
  const raw = ipcToArrow(bytes, path);
  if (raw.numRows === 0) throw new PanelError(`file '${path}' has no rows`);
  return normalizeTable(raw, options.categorical);
}

/** Writes a frame as CSV, Parquet (zstd) or Arrow IPC file (format from the extension unless given). */
export async function writePanel(frame: PanelFrame, path: string, options: { format?: PanelFormat } = {}): Promise<void> {
  const format = options.format ?? formatFromPath(path);
  if (format === 'csv') {
    const handle = await open(path, 'w');
    try {
      for (const piece of formatCsvPieces(frame.table, (n) => (frame.isCategorical(n) ? frame.codes(n) : frame.numeric(n)))) await handle.write(piece);
    } finally {
      await handle.close();
    }
  } else if (format === 'arrow') {
    await writeFile(path, tableToIPC(frame.table, 'file'));
  } else {
    await writeFile(path, await arrowToParquet(frame.table));
  }
}

function checkedFrame(table: Table, options: ReadOptions): PanelFrame {
  const frame = PanelFrame.fromTable(table, { unit: options.unit, time: options.time });
  validatePanel(frame);
  // every reader passes here: an infinite number in the input is reported, never read silently
  checkNonFinite(frame, options.nonFinite);
  return frame;
}

function ipcToArrow(bytes: Uint8Array, path: string): Table {
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    // apache-arrow meets a bad footer or schema as a null dereference (a TypeError): say what it means
    const reason = error instanceof TypeError ? 'not an Arrow IPC file or stream (its footer or schema message is missing or corrupt)' : String(error);
    throw new PanelError(`cannot read '${path}' as Arrow IPC: ${reason}`);
  }
}
