import * as parquet from 'parquet-wasm';
import { tableFromIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { PanelFrame, validatePanel } from './src/index.js';
import { normalizeTable } from './src/normalize.js';
const bytes = readFileSync('/tmp/pbig/panel.parquet');
for (let i = 0; i < 3; i++) {
let t = performance.now();
const table = tableFromIPC(parquet.readParquet(bytes, { batchSize: 65536 }).intoIPCStream());
const t1 = performance.now();
const norm = normalizeTable(table);
const t2 = performance.now();
const f = PanelFrame.fromTable(norm, { unit: 'unit', time: 'year' });
validatePanel(f);
console.log('read', (t1 - t).toFixed(0), 'normalize', (t2 - t1).toFixed(0), 'validate', (performance.now() - t2).toFixed(0));
}
