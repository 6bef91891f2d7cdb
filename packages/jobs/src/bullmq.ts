import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { QueueUnavailableError, TaskCancelledError } from './errors.js';
import { reviveError, type RunTaskOptions, type TaskExecutor } from './executor.js';
import type { JobLogger } from './job-service.js';
import { serializeError, type Task, type TaskResult } from './tasks.js';
import { ThreadPoolExecutor } from './thread-pool.js';
import type { JobProgress } from './types.js';

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

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
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

export interface BullMqExecutorOptions {
  readonly redisUrl: string;
  readonly queueName?: string;
  readonly logger?: JobLogger;
}

/**
 * The scale-out executor: each task becomes a BullMQ job that any apps/worker process may take; a
 * worker that dies mid-task loses its lock and the task is retried by another (stalled-job check).
 */
export class BullMqExecutor implements TaskExecutor {
  readonly name = 'bullmq';
  private readonly queue: Queue;
  /** Created at the first task (after Redis answered): a QueueEvents never connected cannot be closed. */
  private events: QueueEvents | null = null;
  private readonly progress = new Map<string, (p: JobProgress) => void>();
  private readonly where: string;
  /** A plain connection for health pings (BullMQ's own may wait on reconnects). */
  private readonly probe: Redis;

  constructor(private readonly o: BullMqExecutorOptions) {
    const name = o.queueName ?? 'panel-lab';
    const u = new URL(o.redisUrl);
    this.where = `${u.hostname}:${u.port || 6379}`;
    this.queue = new Queue(name, { connection: redisConnection(o.redisUrl, false) });
    // errors surface through checkAvailable and run; keep the emitters from throwing
    this.probe = new Redis({ ...redisConnection(o.redisUrl, false), lazyConnect: true });
    this.probe.on('error', () => undefined);
    this.queue.on('error', () => undefined);
  }

  private eventsReady(): QueueEvents {
    if (!this.events) {
      const events = new QueueEvents(this.o.queueName ?? 'panel-lab', { connection: redisConnection(this.o.redisUrl, true) });
      events.on('error', () => undefined);
      events.on('progress', ({ jobId, data }) => this.progress.get(jobId)?.(data as unknown as JobProgress));
      this.events = events;
    }
    return this.events;
  }

  async checkAvailable(): Promise<void> {
    try {
      if (this.probe.status === 'wait' || this.probe.status === 'end') await withTimeout(this.probe.connect(), 1500, 'connecting to Redis');
      await withTimeout(this.probe.ping(), 1500, 'Redis ping');
    } catch (error) {
      throw new QueueUnavailableError(`the job queue (Redis at ${this.where}) is unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async run(task: Task, options: RunTaskOptions): Promise<TaskResult> {
    if (options.signal?.aborted) throw new TaskCancelledError();
    await this.checkAvailable();
    const id = `${options.jobId}-${randomBytes(4).toString('hex')}`;
    if (options.onProgress) this.progress.set(id, options.onProgress);
    try {
      const events = this.eventsReady();
      await withTimeout(events.waitUntilReady(), 5000, 'subscribing to queue events');
      const job = await this.queue.add(task.type, task, { jobId: id, removeOnComplete: { age: 3600 }, removeOnFail: { age: 86_400 } });
      const cancelled = new Promise<never>((_, reject) => {
        options.signal?.addEventListener(
          'abort',
          () => {
            void job.remove().catch(() => undefined); // only possible while it waits; a running one finishes and is ignored
            reject(new TaskCancelledError());
          },
          { once: true },
        );
      });
      cancelled.catch(() => undefined);
      const finished = job.waitUntilFinished(events).catch((error: unknown) => {
        throw reviveFailure(error);
      });
      return (await Promise.race([finished, cancelled])) as TaskResult;
    } finally {
      this.progress.delete(id);
    }
  }

  async close(): Promise<void> {
    this.probe.disconnect();
    // a graceful close waits for Redis; when it is gone, force the connections down instead
    const events = this.events;
    const graceful = Promise.allSettled([events?.close(), this.queue.close()]);
    await withTimeout(graceful, 2000, 'closing the queue').catch(async () => {
      await withTimeout(Promise.allSettled([events?.disconnect(), this.queue.disconnect()]), 1000, 'disconnecting').catch(() => undefined);
    });
  }
}

function reviveFailure(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  try {
    return reviveError(JSON.parse(message) as { name?: string; message?: string });
  } catch {
    return new Error(message);
  }
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
  close(): Promise<void>;
}

/**
 * An apps/worker process: takes tasks from the queue and runs them on its own thread pool (the
 * event loop stays free to renew locks), reporting progress; task errors are final (not retried),
 * a lost worker is (its lock expires and another worker takes the task).
 */
export function startQueueWorker(o: QueueWorkerOptions): QueueWorker {
  const concurrency = o.concurrency ?? 2;
  const pool = new ThreadPoolExecutor({ dataDir: o.dataDir, size: concurrency });
  const worker = new Worker(
    o.queueName ?? 'panel-lab',
    async (job: Job, _token?: string, signal?: AbortSignal) => {
      o.logger?.log('info', 'task started', { taskId: job.id, type: job.name, attempt: job.attemptsStarted });
      try {
        const result = await pool.run(job.data as Task, {
          jobId: job.id ?? 'task',
          onProgress: (p) => void job.updateProgress(p as unknown as Record<string, unknown>).catch(() => undefined),
          ...(signal ? { signal } : {}),
        });
        o.logger?.log('info', 'task done', { taskId: job.id, type: job.name });
        return result;
      } catch (error) {
        o.logger?.log('warn', 'task failed', { taskId: job.id, type: job.name, error: error instanceof Error ? error.message : String(error) });
        throw new UnrecoverableError(JSON.stringify(serializeError(error)));
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
    async close() {
      await worker.close();
      await pool.close();
    },
  };
}
