/**
 * Plain columnar tables (result tables: coefficients, per-draw results, matched pairs) to and from
 * Parquet (zstd) and Arrow IPC files, outside any panel roles. Numbers become Float64 (null for
 * missing), strings Utf8, booleans Bool.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Bool, Float64, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { PanelError } from './errors.js';
import { arrowToParquet, parquetToArrow } from './parquet-wasm.js';

export type TableValue = number | string | boolean | null;
export type TableFileFormat = 'parquet' | 'arrow';

/** Writes equal-length columns as a Parquet or Arrow IPC file. */
export async function writeColumnTable(columns: Readonly<Record<string, readonly TableValue[]>>, path: string, format: TableFileFormat): Promise<void> {
  const vectors: Record<string, Vector> = {};
  let length: number | null = null;
  for (const [name, values] of Object.entries(columns)) {
    if (length !== null && values.length !== length) throw new PanelError(`column '${name}' has ${values.length} values, expected ${length}`, { column: name });
    length = values.length;
    vectors[name] = columnVector(name, values);
  }
  if (length === null) throw new PanelError(`no columns to write to '${path}'`);
  const table = new Table(vectors);
  if (format === 'arrow') return writeFile(path, tableToIPC(table, 'file'));
  await writeFile(path, await arrowToParquet(table));
}

/** Reads a Parquet or Arrow IPC file back as plain columns (bigints as numbers, nulls kept). */
export async function readColumnTable(path: string, format: TableFileFormat): Promise<Record<string, TableValue[]>> {
  const bytes = await readFile(path);
  const table = format === 'arrow' ? tableFromIPC(bytes) : await parquetToArrow(bytes);
  const out: Record<string, TableValue[]> = {};
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    out[field.name] = Array.from({ length: table.numRows }, (_, i) => {
      const v: unknown = column.get(i);
      return typeof v === 'bigint' ? Number(v) : (v as TableValue);
    });
  }
  return out;
}

/** The column's Arrow type from its non-null values: all numbers, all strings or all booleans. */
function columnVector(name: string, values: readonly TableValue[]): Vector {
  const kinds = new Set(values.filter((v) => v !== null).map((v) => typeof v));
  if (kinds.size > 1) throw new PanelError(`column '${name}' mixes ${[...kinds].join(' and ')} values`, { column: name });
  const kind = [...kinds][0] ?? 'number';
  if (kind === 'string') return vectorFromArray(values as (string | null)[], new Utf8());
  if (kind === 'boolean') return vectorFromArray(values as (boolean | null)[], new Bool());
  return vectorFromArray(values as (number | null)[], new Float64());
}
