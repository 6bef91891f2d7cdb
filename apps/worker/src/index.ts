export { workerConfigFromEnv } from './config.js';
export type { WorkerConfig } from './config.js';
export { jsonLogger, runWorker } from './worker.js';
