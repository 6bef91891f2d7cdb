import { hostname } from 'node:os';
import { PostgresMetaStore, startFlowWorker, startQueueWorker, type JobLogger } from '@panel-lab/jobs';
import type { WorkerConfig } from './config.js';

/** JSON lines on stdout, each with the worker's id (host and pid). */
export function jsonLogger(enabled: boolean): JobLogger {
  const worker = `${hostname()}:${process.pid}`;
  return {
    log(level, message, fields) {
      if (enabled) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, worker, ...fields })}\n`);
    },
  };
}

/** A running worker: close() waits for its tasks, close(true) hands them back to the queue at once. */
export interface RunningWorker {
  close(force?: boolean): Promise<void>;
}

/**
 * Starts consuming the queue; resolves once connected and warm. With PANEL_LAB_DATABASE_URL it
 * serves the distributed engine (every tenant's queue, job states written to the shared store);
 * without, the single-API mode (one queue, the API keeps the job states).
 */
export async function runWorker(config: WorkerConfig, logger: JobLogger = jsonLogger(config.log === 'info')): Promise<RunningWorker> {
  if (config.databaseUrl) {
    const store = await PostgresMetaStore.open({ url: config.databaseUrl, poolSize: config.concurrency + 2, onError: (error) => logger.log('warn', 'job store connection error', { error: error.message }) });
    const flows = startFlowWorker({
      redisUrl: config.redisUrl,
      queueName: config.queueName,
      dataDir: config.dataDir,
      store,
      concurrency: config.concurrency,
      lockDurationMs: config.lockDurationMs,
      stalledIntervalMs: config.stalledIntervalMs,
      logger,
    });
    await flows.ready();
    logger.log('info', 'worker ready', { queue: config.queueName, concurrency: config.concurrency, engine: 'distributed', tenants: flows.tenants() });
    return {
      async close(force) {
        await flows.close(force);
        await store.close();
      },
    };
  }
  const worker = startQueueWorker({
    redisUrl: config.redisUrl,
    queueName: config.queueName,
    dataDir: config.dataDir,
    concurrency: config.concurrency,
    lockDurationMs: config.lockDurationMs,
    stalledIntervalMs: config.stalledIntervalMs,
    logger,
  });
  await worker.ready();
  logger.log('info', 'worker ready', { queue: config.queueName, concurrency: config.concurrency });
  return worker;
}
