import { parentPort, workerData } from 'node:worker_threads';
import { executeTask, serializeError, type Task } from './tasks.js';

/** One pool thread: runs one task at a time, reports progress, honours cancel messages. */
type Inbound = { type: 'run'; id: number; task: Task } | { type: 'cancel'; id: number };

const port = parentPort;
if (!port) throw new Error('pool-thread.ts must run in a worker thread');
const { dataDir } = workerData as { dataDir: string };
const controllers = new Map<number, AbortController>();

port.on('message', (msg: Inbound) => {
  if (msg.type === 'cancel') {
    controllers.get(msg.id)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  executeTask(msg.task, {
    dataDir,
    signal: controller.signal,
    onProgress: (progress) => port.postMessage({ type: 'progress', id: msg.id, progress }),
  })
    .then(
      // JSON round trip: results are JSON-safe by contract and frozen arrays clone cheaply as plain data
      (result) => port.postMessage({ type: 'done', id: msg.id, result: JSON.parse(JSON.stringify(result)) }),
      (error) => port.postMessage({ type: 'error', id: msg.id, error: serializeError(error) }),
    )
    .finally(() => controllers.delete(msg.id));
});
port.postMessage({ type: 'ready' });
