import { workerConfigFromEnv } from './config.js';
import { runWorker } from './worker.js';

/** `npm run start -w @panel-lab/worker`: configuration from the environment (README.md). */
export async function main(): Promise<void> {
  const worker = await runWorker(workerConfigFromEnv());
  // a graceful close waits for running tasks and Redis; give it 10 s, then leave anyway
  const stop = () => {
    setTimeout(() => process.exit(0), 10_000).unref();
    void worker.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
