import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { PanelFrame, type PanelSchema } from './frame.js';

/**
 * A frame as worker threads receive it: its Arrow IPC stream in one SharedArrayBuffer that every
 * worker reads in place. The main thread loads and transforms the dataset once; workers never
 * open a file, so they never load the DuckDB addon (a worker terminated with DuckDB loaded can
 * abort the whole process during teardown) and hold no copy of the data each.
 */
export interface SharedFrame {
  readonly ipc: SharedArrayBuffer;
  readonly schema: PanelSchema;
}

export function shareFrame(frame: PanelFrame): SharedFrame {
  const bytes = tableToIPC(frame.table, 'stream');
  const ipc = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(ipc).set(bytes);
  return { ipc, schema: { unit: frame.schema.unit, time: frame.schema.time } };
}

export function frameFromShared(shared: SharedFrame): PanelFrame {
  return PanelFrame.fromTable(tableFromIPC(new Uint8Array(shared.ipc)), shared.schema);
}
