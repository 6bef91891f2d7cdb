/**
 * A worker thread of a parallel run: reads the run's frame from the shared Arrow IPC buffer the
 * main thread loaded (no file, no native reader here), then runs the analyses the main thread
 * hands it, one at a time, posting progress and each record (structured-cloned).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { frameFromShared, type SharedFrame } from '@panel-lab/panel';
import { executeAnalysis } from './execute.js';
import { parseRunSpec, type RunSpec } from './spec.js';

export interface WorkerInput {
  readonly spec: unknown;
  readonly backend?: RunSpec['backend'] | undefined;
  /** The loaded and transformed dataset. */
  readonly frame: SharedFrame;
  /** The dataset's ground truth (synthetic panels), JSON-safe. */
  readonly truth: unknown;
}

export type ToWorker = { readonly run: number } | { readonly stop: true };

const port = parentPort!;
const input = workerData as WorkerInput;
const spec = parseRunSpec(input.spec);
const data = { frame: frameFromShared(input.frame), truth: input.truth };
const backend = input.backend ?? spec.backend;

port.on('message', (msg: ToWorker) => {
  if ('stop' in msg) return void port.close();
  const index = msg.run;
  executeAnalysis(data, index, { spec, backend, progress: (update) => port.postMessage({ type: 'progress', index, update }) })
    .then(({ record }) => port.postMessage({ type: 'done', index, record }))
    .catch((error: unknown) => port.postMessage({ type: 'done', index, crash: error instanceof Error ? error.message : String(error) }));
});
port.postMessage({ type: 'ready' });
