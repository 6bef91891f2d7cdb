import { resolve } from 'node:path';
import { DEFAULT_LIMITS, DEFAULT_RETENTION, type QueueRetention, type TenantLimits } from '@panel-lab/jobs';

/** Everything the API reads from its environment (documented in README.md). */
export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** key -> tenant pairs; only their hashes are stored. */
  readonly apiKeys: readonly { key: string; tenant: string }[];
  readonly limits: Partial<TenantLimits>;
  readonly tenantLimits: Readonly<Record<string, Partial<TenantLimits>>>;
  /** Worker threads of the embedded pool. */
  readonly threads: number;
  /** Top-level jobs running at once (all tenants; each tenant also has limits.runningJobs). */
  readonly maxRunning: number;
  /** Chunk tasks of one placebo job in flight at once. */
  readonly chunkConcurrency: number;
  /** With a Redis URL, jobs go through BullMQ to apps/worker processes. */
  readonly redisUrl: string | null;
  /** postgres://... : the job store is PostgreSQL; with a Redis URL too, the distributed engine (replicas). */
  readonly databaseUrl?: string | null;
  /** Distributed engine: tasks of one tenant running at once over all workers. */
  readonly tenantTasks?: number;
  /** Distributed engine: how often a watched job (SSE) is read from the store, ms. */
  readonly pollMs?: number;
  readonly queueName: string;
  /** How the BullMQ executor watches its tasks and what it keeps in Redis (README: Redis memory). */
  readonly queue: QueueWatchConfig;
  /** How long the start waits for the job queue (Redis) before listening anyway (ms, default 10000). */
  readonly startupQueueWaitMs?: number;
  /** Failed API-key attempts per source address within authWindowMs before it gets 429. */
  readonly authFailures: number;
  readonly authWindowMs: number;
  /** SIGTERM: everything (jobs, SSE streams, requests) is over within this time. */
  readonly shutdownGraceMs: number;
  /** Reconnect hint sent to SSE clients when the server stops. */
  readonly sseRetryMs: number;
  readonly log: 'info' | 'silent';
}

export interface QueueWatchConfig {
  readonly checkIntervalMs: number;
  readonly lostAfterMs: number;
  readonly unreachableAfterMs: number;
  readonly requeueLost: number;
  readonly retention: QueueRetention;
}

function queueFromEnv(env: NodeJS.ProcessEnv): QueueWatchConfig {
  const r = DEFAULT_RETENTION;
  return {
    checkIntervalMs: positiveEnv(env, 'PANEL_LAB_TASK_CHECK_MS', 5000),
    lostAfterMs: intEnv(env, 'PANEL_LAB_TASK_LOST_MS', 15_000),
    unreachableAfterMs: intEnv(env, 'PANEL_LAB_QUEUE_DOWN_MS', 120_000),
    requeueLost: intEnv(env, 'PANEL_LAB_TASK_REQUEUES', 1),
    retention: {
      completedAgeS: intEnv(env, 'PANEL_LAB_KEEP_COMPLETED_S', r.completedAgeS),
      completedCount: intEnv(env, 'PANEL_LAB_KEEP_COMPLETED', r.completedCount),
      failedAgeS: intEnv(env, 'PANEL_LAB_KEEP_FAILED_S', r.failedAgeS),
      failedCount: intEnv(env, 'PANEL_LAB_KEEP_FAILED', r.failedCount),
      eventsMaxLen: intEnv(env, 'PANEL_LAB_EVENTS_MAX_LEN', r.eventsMaxLen),
    },
  };
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`environment variable ${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

/** A limit where 0 would stall every job silently (none could ever start). */
function positiveEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const n = intEnv(env, name, fallback);
  if (n < 1) throw new Error(`environment variable ${name} must be at least 1 (0 would keep every job queued), got '${env[name]}'`);
  return n;
}

/** Parses "tenant:key,tenant:key" (keys of 16+ characters). */
export function parseApiKeys(raw: string | undefined): { key: string; tenant: string }[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair, i) => {
      const at = pair.indexOf(':');
      const tenant = pair.slice(0, at);
      const key = pair.slice(at + 1);
      if (at <= 0 || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(tenant)) throw new Error(`PANEL_LAB_API_KEYS entry ${i + 1}: expected tenant:key with a tenant of letters, digits, '-' or '_'`);
      if (key.length < 16) throw new Error(`PANEL_LAB_API_KEYS entry ${i + 1} (tenant '${tenant}'): the key must have at least 16 characters`);
      return { key, tenant };
    });
}

/** Per-tenant quotas and input bounds; the defaults are DEFAULT_LIMITS of @panel-lab/jobs. */
function limitsFromEnv(env: NodeJS.ProcessEnv): TenantLimits {
  const d = DEFAULT_LIMITS;
  return {
    uploadBytes: intEnv(env, 'PANEL_LAB_UPLOAD_LIMIT_BYTES', d.uploadBytes),
    activeJobs: intEnv(env, 'PANEL_LAB_MAX_ACTIVE_JOBS', d.activeJobs),
    queuedJobs: intEnv(env, 'PANEL_LAB_MAX_QUEUED_JOBS', d.queuedJobs),
    runningJobs: positiveEnv(env, 'PANEL_LAB_MAX_RUNNING_PER_TENANT', d.runningJobs),
    drawsInFlight: intEnv(env, 'PANEL_LAB_MAX_DRAWS_IN_FLIGHT', d.drawsInFlight),
    datasets: intEnv(env, 'PANEL_LAB_MAX_DATASETS', d.datasets),
    datasetBytes: intEnv(env, 'PANEL_LAB_MAX_DATASET_BYTES', d.datasetBytes),
    maxDraws: intEnv(env, 'PANEL_LAB_MAX_DRAWS', d.maxDraws),
    maxChunks: intEnv(env, 'PANEL_LAB_MAX_CHUNKS', d.maxChunks),
    maxCities: intEnv(env, 'PANEL_LAB_MAX_CITIES', d.maxCities),
    maxYears: intEnv(env, 'PANEL_LAB_MAX_YEARS', d.maxYears),
    maxRows: intEnv(env, 'PANEL_LAB_MAX_ROWS', d.maxRows),
  };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const tenantLimits = env.PANEL_LAB_TENANT_LIMITS ? (JSON.parse(env.PANEL_LAB_TENANT_LIMITS) as Record<string, Partial<TenantLimits>>) : {};
  return {
    host: env.HOST ?? '127.0.0.1',
    port: intEnv(env, 'PORT', 8080),
    dataDir: resolve(env.PANEL_LAB_DATA_DIR ?? 'data'),
    apiKeys: parseApiKeys(env.PANEL_LAB_API_KEYS),
    limits: limitsFromEnv(env),
    tenantLimits,
    threads: intEnv(env, 'PANEL_LAB_THREADS', 2),
    maxRunning: positiveEnv(env, 'PANEL_LAB_MAX_RUNNING', 4),
    chunkConcurrency: positiveEnv(env, 'PANEL_LAB_CHUNK_CONCURRENCY', 2),
    redisUrl: env.PANEL_LAB_REDIS_URL || null,
    databaseUrl: env.PANEL_LAB_DATABASE_URL || null,
    tenantTasks: positiveEnv(env, 'PANEL_LAB_TENANT_TASKS', 4),
    pollMs: positiveEnv(env, 'PANEL_LAB_POLL_MS', 500),
    queueName: env.PANEL_LAB_QUEUE ?? 'panel-lab',
    queue: queueFromEnv(env),
    startupQueueWaitMs: intEnv(env, 'PANEL_LAB_STARTUP_QUEUE_WAIT_MS', 10_000),
    authFailures: positiveEnv(env, 'PANEL_LAB_AUTH_FAILURES', 20),
    authWindowMs: positiveEnv(env, 'PANEL_LAB_AUTH_WINDOW_MS', 60_000),
    shutdownGraceMs: intEnv(env, 'PANEL_LAB_SHUTDOWN_GRACE_MS', 10_000),
    sseRetryMs: intEnv(env, 'PANEL_LAB_SSE_RETRY_MS', 3000),
    log: env.PANEL_LAB_LOG === 'silent' ? 'silent' : 'info',
  };
}
