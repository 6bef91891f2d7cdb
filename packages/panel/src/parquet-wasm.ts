/**
 * Parquet through parquet-wasm, loaded on first use: its Node build compiles a large WebAssembly module
 * when imported, which a process that only reads files (DuckDB reads Parquet) should not pay for.
 */
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';

type ParquetWasm = typeof import('parquet-wasm');

let loaded: Promise<ParquetWasm> | undefined;
function parquetWasm(): Promise<ParquetWasm> {
  loaded ??= import('parquet-wasm');
  return loaded;
}

/** An Arrow table as Parquet bytes (zstd). */
export async function arrowToParquet(table: Table): Promise<Uint8Array> {
  const parquet = await parquetWasm();
  const wasmTable = parquet.Table.fromIPCStream(tableToIPC(table, 'stream'));
  const properties = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.ZSTD).build();
  return parquet.writeParquet(wasmTable, properties);
}

/** Parquet bytes as an Arrow table. */
export async function parquetToArrow(bytes: Uint8Array): Promise<Table> {
  const parquet = await parquetWasm();
  return tableFromIPC(parquet.readParquet(bytes).intoIPCStream());
}
