import { hostname } from 'node:os';
import { startQueueWorker, type JobLogger, type QueueWorker } from '@panel-lab/jobs';
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

/** Starts consuming the queue; resolves once connected and warm. */
export async function runWorker(config: WorkerConfig, logger: JobLogger = jsonLogger(config.log === 'info')): Promise<QueueWorker> {
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
