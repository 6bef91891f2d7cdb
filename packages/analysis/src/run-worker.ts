/**
 * A worker thread of a parallel run: loads the run's dataset once, then runs the analyses the main
 * thread hands it, one at a time, posting progress and each record (structured-cloned).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from './dataset.js';
import { executeAnalysis } from './execute.js';
import { parseRunSpec, type RunSpec } from './spec.js';
import { applyTransforms } from './transforms.js';

export interface WorkerInput {
  readonly spec: unknown;
  readonly backend?: RunSpec['backend'] | undefined;
  readonly baseDir?: string | undefined;
}

export type ToWorker = { readonly run: number } | { readonly stop: true };

const port = parentPort!;
const input = workerData as WorkerInput;
const spec = parseRunSpec(input.spec);
const loaded = await loadDataset(spec.dataset, { baseDir: input.baseDir });
const data = { frame: applyTransforms(loaded.frame, spec.transforms).frame, truth: loaded.truth };
const backend = input.backend ?? spec.backend;

port.on('message', (msg: ToWorker) => {
  if ('stop' in msg) return void port.close();
  const index = msg.run;
  executeAnalysis(data, index, { spec, backend, progress: (update) => port.postMessage({ type: 'progress', index, update }) })
    .then(({ record }) => port.postMessage({ type: 'done', index, record }))
    .catch((error: unknown) => port.postMessage({ type: 'done', index, crash: error instanceof Error ? error.message : String(error) }));
});
port.postMessage({ type: 'ready' });
