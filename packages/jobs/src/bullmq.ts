import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import type { JobLogger } from './job-service.js';
import { serializeError, type Task } from './tasks.js';
import { ThreadPoolExecutor } from './thread-pool.js';

/** ioredis options from redis://[:password@]host:port[/db]. */
export function redisConnection(url: string, blocking: boolean): ConnectionOptions & RedisOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:') throw new Error(`redis URL must start with redis://, got '${url}'`);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    connectTimeout: 2000,
    // blocking connections (workers, events) wait for Redis; the producer fails fast instead (-> 503)
    ...(blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
}

/** ioredis/BullMQ messages of a connection that is down or reconnecting (anything else is a real failure). */
export const CONNECTION_FAILURE = /Stream isn't writeable|Connection is closed|max retries per request|ECONNREFUSED|ECONNRESET|EPIPE|timed out|not ready/i;

/** Waits ms, or less when stopped (the abort listener is removed either way: no pile-up over a long wait). */
export function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}

/** Rejects when `p` has not settled within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Resolves once `redis` (a lazyConnect client) is ready, within `ms`: connects it when idle, and
 * waits for 'ready' while it is connecting or reconnecting (a command sent then fails at once with
 * enableOfflineQueue off, which made a request right after start or during a blip a false 503).
 */
export async function whenRedisReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'wait' || redis.status === 'end') {
    await withTimeout(redis.connect(), ms, 'connecting to Redis');
    return;
  }
  const status = redis.status;
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    // the listener goes with the timeout: an outage with many waiting requests piles nothing up
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`the Redis connection was not ready within ${ms} ms (${status})`));
    }, ms);
    redis.once('ready', onReady);
  });
}

export interface QueueWorkerOptions {
  readonly redisUrl: string;
  readonly queueName?: string;
  /** Data directory shared with the API (the same files: a volume or network disk). */
  readonly dataDir: string;
  /** Tasks at once = worker threads (default 2). */
  readonly concurrency?: number;
  /** How long a task's lock lives without renewal; a dead worker's task is retried after it (ms, default 30000). */
  readonly lockDurationMs?: number;
  /** How often workers look for stalled tasks (ms, default 30000). */
  readonly stalledIntervalMs?: number;
  readonly logger?: JobLogger;
}

export interface QueueWorker {
  readonly worker: Worker;
  /** Resolves once connected to Redis and every thread is warm. */
  ready(): Promise<void>;
  /**
   * Stops taking tasks and waits for the running ones; `force` does not wait: the running tasks
   * are moved back to the queue (another worker takes them at once) and their threads stopped.
   */
  close(force?: boolean): Promise<void>;
}

/**
 * An apps/worker process: takes tasks from the queue and runs them on its own thread pool (the
 * event loop stays free to renew locks), reporting progress; task errors are final (not retried),
 * a lost worker is (its lock expires and another worker takes the task).
 */
export function startQueueWorker(o: QueueWorkerOptions): QueueWorker {
  const concurrency = o.concurrency ?? 2;
  const pool = new ThreadPoolExecutor({ dataDir: o.dataDir, size: concurrency });
  /** Tasks running here, with the lock token that lets a forced close hand them back. */
  const active = new Map<string, { job: Job; token: string | undefined }>();
  let handingBack = false;
  const worker = new Worker(
    o.queueName ?? 'panel-lab',
    async (job: Job, token?: string, signal?: AbortSignal) => {
      o.logger?.log('info', 'task started', { taskId: job.id, type: job.name, attempt: job.attemptsStarted });
      active.set(job.id ?? '', { job, token });
      try {
        const result = await pool.run(job.data as Task, {
          jobId: job.id ?? 'task',
          onProgress: (p) => void job.updateProgress(p as unknown as Record<string, unknown>).catch(() => undefined),
          ...(signal ? { signal } : {}),
        });
        o.logger?.log('info', 'task done', { taskId: job.id, type: job.name });
        return result;
      } catch (error) {
        // handed back at shutdown: the task waits for another worker, it did not fail (this worker's lock is gone)
        if (handingBack) throw new Error('handed back to the queue at shutdown');
        o.logger?.log('warn', 'task failed', { taskId: job.id, type: job.name, error: error instanceof Error ? error.message : String(error) });
        throw new UnrecoverableError(JSON.stringify(serializeError(error)));
      } finally {
        active.delete(job.id ?? '');
      }
    },
    {
      connection: redisConnection(o.redisUrl, true),
      concurrency,
      lockDuration: o.lockDurationMs ?? 30_000,
      stalledInterval: o.stalledIntervalMs ?? 30_000,
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => o.logger?.log('error', 'queue worker error', { error: error.message }));
  return {
    worker,
    async ready() {
      await Promise.all([worker.waitUntilReady(), pool.ready()]);
    },
    async close(force = false) {
      if (!force) {
        await worker.close();
        await pool.close();
        return;
      }
      // forced: put the running tasks back in the queue at once (another worker takes them now,
      // not after the lock lapses), stop their threads, and do not wait for BullMQ's own close
      handingBack = true;
      for (const [taskId, { job, token }] of active) {
        await job.moveToWait(token).then(
          () => o.logger?.log('info', 'task handed back to the queue', { taskId }),
          (error: unknown) => o.logger?.log('warn', 'could not hand a task back; it is retried once its lock lapses', { taskId, error: String(error) }),
        );
      }
      await pool.close();
      await withTimeout(worker.close(true), 1000, 'closing the worker').catch((error: unknown) =>
        o.logger?.log('warn', 'queue worker did not close in time; exiting anyway', { error: String(error) }),
      );
    },
  };
}
