import { resolve } from 'node:path';

/** The worker's environment (README.md). */
export interface WorkerConfig {
  readonly redisUrl: string;
  readonly queueName: string;
  /** postgres://... : run the distributed engine's tasks (tenant queues; job states written to this store). */
  readonly databaseUrl: string | null;
  /** The API's data directory, shared (volume / network disk): uploaded datasets are read from it. */
  readonly dataDir: string;
  /** Tasks at once = worker threads. */
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  /** SIGTERM: running tasks may finish within this time; past it the worker leaves and they are retried elsewhere. */
  readonly shutdownGraceMs: number;
  readonly log: 'info' | 'silent';
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`environment variable ${name} must be a positive integer, got '${raw}'`);
  return n;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const redisUrl = env.PANEL_LAB_REDIS_URL;
  if (!redisUrl) throw new Error('environment variable PANEL_LAB_REDIS_URL is required (e.g. redis://127.0.0.1:6379)');
  return {
    redisUrl,
    queueName: env.PANEL_LAB_QUEUE ?? 'panel-lab',
    databaseUrl: env.PANEL_LAB_DATABASE_URL || null,
    dataDir: resolve(env.PANEL_LAB_DATA_DIR ?? 'data'),
    concurrency: intEnv(env, 'PANEL_LAB_WORKER_CONCURRENCY', 2),
    lockDurationMs: intEnv(env, 'PANEL_LAB_LOCK_MS', 30_000),
    stalledIntervalMs: intEnv(env, 'PANEL_LAB_STALLED_CHECK_MS', 30_000),
    shutdownGraceMs: intEnv(env, 'PANEL_LAB_SHUTDOWN_GRACE_MS', 10_000),
    log: env.PANEL_LAB_LOG === 'silent' ? 'silent' : 'info',
  };
}
