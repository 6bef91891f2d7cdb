import { workerConfigFromEnv } from './config.js';
import { jsonLogger, runWorker } from './worker.js';

/** `npm run start -w @panel-lab/worker`: configuration from the environment (README.md). */
export async function main(): Promise<void> {
  const config = workerConfigFromEnv();
  const logger = jsonLogger(config.log === 'info');
  const worker = await runWorker(config, logger);
  // a graceful close waits for running tasks; past the grace period the worker leaves without them
  // (their locks lapse and another worker takes them), and a hang past that still exits
  const stop = () => {
    logger.log('info', 'draining', { graceMs: config.shutdownGraceMs });
    const forced = setTimeout(() => {
      logger.log('warn', 'grace period over; handing running tasks back to the queue', {});
      void worker.close(true).finally(() => process.exit(0));
      setTimeout(() => process.exit(1), 5000).unref();
    }, config.shutdownGraceMs);
    forced.unref();
    void worker.close().then(() => {
      clearTimeout(forced);
      logger.log('info', 'drained', {});
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
