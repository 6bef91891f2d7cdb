import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Table, type Vector } from 'apache-arrow';
import { categoricalVector } from './columns.js';
import { DEFAULT_BLOCK_ROWS } from './column-sinks.js';
import { duckdbReason, sqlName, sqlString, streamColumns, streamedNumericVector, withConnection, withPlainPath, type StreamKind } from './duckdb-source.js';
import { PanelError } from './errors.js';
import { factorizeNumbers } from './frame.js';

/** Parquet types read as numbers (booleans as 0/1), cast to DOUBLE by DuckDB; Int64 beyond 2^53 loses precision as in pandas. */
const NUMERIC_TYPES = new Set([
  'BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'FLOAT', 'DOUBLE',
]);
const TEXT_TYPES = new Set(['VARCHAR']);

/**
 * Reads a Parquet file with DuckDB's streaming, multi-threaded Parquet reader, converting each chunk
 * into the frame's storage (Float64 with NaN at nulls, text as Int32 dictionary codes): the whole
 * file is never in memory at once. Same typing rules as `normalizeTable` for Arrow tables.
 */
export async function readParquetFile(path: string, categorical: readonly string[] = [], blockRows = DEFAULT_BLOCK_ROWS): Promise<Table> {
  const { size } = await stat(path);
  if (size === 0) throw new PanelError(`empty file: '${path}'`);
  return withPlainPath(path, (plain) => withConnection(async (connection) => {
    const source = `read_parquet(${sqlString(plain)})`;
    let fields: { name: string; type: string }[];
    try {
      const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
      fields = (described.getRowObjectsJson() as { column_name: string; column_type: string }[]).map((r) => ({ name: r.column_name, type: r.column_type }));
    } catch (error) {
      throw new PanelError(`cannot read '${path}' as Parquet: ${duckdbReason(error)}`);
    }
    for (const name of categorical) {
      if (!fields.some((f) => f.name === name)) {
        throw new PanelError(`categorical column '${name}' not found; columns are: ${fields.map((f) => f.name).join(', ')}`, { column: name });
      }
    }
    const kinds: StreamKind[] = fields.map(({ name, type }) => {
      if (NUMERIC_TYPES.has(type)) return 'numeric';
      if (TEXT_TYPES.has(type)) return 'categorical';
      throw new PanelError(
        `column '${name}' has unsupported type ${type}; supported: integers, floats, booleans (as 0/1), text and dictionary text`,
        { column: name },
      );
    });
    const select = fields.map(({ name }, c) => `CAST(${sqlName(name)} AS ${kinds[c] === 'numeric' ? 'DOUBLE' : 'VARCHAR'})`).join(', ');
    let read;
    try {
      const rows = await parquetRows(connection, source);
      read = await streamColumns(connection, `SELECT ${select} FROM ${source}`, kinds, { blockRows, expectedRows: rows, sourceRows: Promise.resolve(rows) });
    } catch (error) {
      throw new PanelError(`cannot read '${path}' as Parquet: ${duckdbReason(error)}`);
    }
    if (read.rows === 0) throw new PanelError(`file '${path}' has no rows`);
    const vectors: Record<string, Vector> = {};
    read.columns.forEach((column, c) => {
      const name = fields[c]!.name;
      if (column.kind === 'categorical') {
        vectors[name] = categoricalVector(column.codes, column.levels);
      } else if (categorical.includes(name)) {
        const { codes, levels } = factorizeNumbers(column.values); // a numeric column listed as categorical: levels ascending
        vectors[name] = categoricalVector(codes, levels);
      } else {
        vectors[name] = streamedNumericVector(column);
      }
    });
    return new Table(vectors);
  }));
}

/** The row count from the Parquet footer (no data read), to size the columns once. */
async function parquetRows(connection: DuckDBConnection, source: string): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${source}`);
  return Number(reader.getRowsJson()[0]![0]);
}
