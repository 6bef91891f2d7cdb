import { randomBytes } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { redisConnection, withTimeout } from './bullmq.js';
import { QueueUnavailableError, TaskCancelledError, TaskLostError } from './errors.js';
import { reviveError, type RunTaskOptions, type TaskExecutor } from './executor.js';
import type { JobLogger } from './job-service.js';
import type { Task, TaskResult } from './tasks.js';
import type { JobProgress } from './types.js';

/** How long BullMQ keeps finished tasks, and the events stream's length (Redis memory is bounded by these). */
export interface QueueRetention {
  /** A completed task (its result included) is removed after this many seconds... (default 600) */
  readonly completedAgeS: number;
  /** ...or once this many newer completed tasks exist (default 1000). */
  readonly completedCount: number;
  /** A failed task (its error kept for inspection) is removed after this many seconds... (default 86400) */
  readonly failedAgeS: number;
  /** ...or once this many newer failed tasks exist (default 5000). */
  readonly failedCount: number;
  /** Approximate length the queue's events stream is trimmed to (progress and completion events; default 2000). */
  readonly eventsMaxLen: number;
}

export const DEFAULT_RETENTION: QueueRetention = Object.freeze({ completedAgeS: 600, completedCount: 1000, failedAgeS: 86_400, failedCount: 5000, eventsMaxLen: 2000 });

export interface BullMqExecutorOptions {
  readonly redisUrl: string;
  readonly queueName?: string;
  readonly logger?: JobLogger;
  /** How often a waiting run() re-reads its task from Redis (a missed event, a task that vanished; ms, default 5000). */
  readonly checkIntervalMs?: number;
  /** A task missing from Redis this long (e.g. Redis restarted without persistence) is lost (ms, default 15000). */
  readonly lostAfterMs?: number;
  /** Redis unreachable this long while a task waits fails the task (ms, default 120000). */
  readonly unreachableAfterMs?: number;
  /** Times a lost task is added again before run() fails with TaskLostError (default 1). */
  readonly requeueLost?: number;
  readonly retention?: Partial<QueueRetention>;
}

/** What one look at a task in Redis found. */
type TaskLook = { kind: 'waiting' } | { kind: 'missing' } | { kind: 'unreachable'; error: string } | { kind: 'completed'; result: TaskResult } | { kind: 'failed'; error: Error };

/**
 * The scale-out executor: each task becomes a BullMQ job that any apps/worker process may take; a
 * worker that dies mid-task loses its lock and the task is retried by another (stalled-job check).
 * A waiting run() also re-reads its task every checkIntervalMs, so a missed completion event is
 * picked up and a task that vanished from Redis is added again or failed, never waited on forever.
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
  private readonly retention: QueueRetention;

  constructor(private readonly o: BullMqExecutorOptions) {
    const name = o.queueName ?? 'panel-lab';
    const u = new URL(o.redisUrl);
    this.where = `${u.hostname}:${u.port || 6379}`;
    this.retention = { ...DEFAULT_RETENTION, ...o.retention };
    this.queue = new Queue(name, { connection: redisConnection(o.redisUrl, false), streams: { events: { maxLen: this.retention.eventsMaxLen } } });
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
    const events = this.eventsReady();
    await withTimeout(events.waitUntilReady(), 5000, 'subscribing to queue events');
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.runOnce(task, options, events);
      } catch (error) {
        if (!(error instanceof TaskLostError) || attempt >= (this.o.requeueLost ?? 1) || options.signal?.aborted) throw error;
        this.o.logger?.log('warn', 'task vanished from the queue; added again', { jobId: options.jobId, attempt: attempt + 1, error: error.message });
      }
    }
  }

  private async runOnce(task: Task, options: RunTaskOptions, events: QueueEvents): Promise<TaskResult> {
    const id = `${options.jobId}-${randomBytes(4).toString('hex')}`;
    if (options.onProgress) this.progress.set(id, options.onProgress);
    const stopWatch = new AbortController();
    try {
      const r = this.retention;
      const job = await this.queue
        .add(task.type, task, {
          jobId: id,
          removeOnComplete: { age: r.completedAgeS, count: r.completedCount },
          removeOnFail: { age: r.failedAgeS, count: r.failedCount },
        })
        .catch((error: unknown) => {
          // Redis went away between the availability check and the add
          throw new QueueUnavailableError(`the job queue (Redis at ${this.where}) is unavailable: ${error instanceof Error ? error.message : String(error)}`);
        });
      const cancelled = new Promise<never>((_, reject) => {
        const onAbort = () => {
          // only possible while it waits; a running one finishes and its result is ignored
          void job.remove().catch((error: unknown) => this.o.logger?.log('info', 'cancelled task already running; its result will be ignored', { taskId: id, error: String(error) }));
          reject(new TaskCancelledError());
        };
        if (options.signal?.aborted) onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true, signal: stopWatch.signal });
      });
      const finished = job.waitUntilFinished(events).then(
        (result) => result as TaskResult,
        (error: unknown) => {
          throw reviveFailure(error instanceof Error ? error.message : String(error));
        },
      );
      const watched = this.watch(id, stopWatch.signal);
      for (const p of [cancelled, finished, watched]) p.catch(() => undefined);
      const result = await Promise.race([finished, cancelled, watched]);
      // the result is in hand (chunks go to disk next): drop it from Redis now; retention is the backstop for uncollected ones
      void job.remove().catch((error: unknown) => this.o.logger?.log('warn', 'could not remove a finished task from Redis; retention will', { taskId: id, error: String(error) }));
      return result;
    } finally {
      stopWatch.abort();
      this.progress.delete(id);
    }
  }

  /**
   * Re-reads the task every checkIntervalMs until stopped: settles with its result or error when
   * it finished (its event may have been missed), fails with TaskLostError when it has been missing
   * for lostAfterMs or Redis unreachable for unreachableAfterMs.
   */
  private async watch(id: string, stop: AbortSignal): Promise<TaskResult> {
    const every = this.o.checkIntervalMs ?? 5000;
    let missingSince: number | null = null;
    let unreachableSince: number | null = null;
    for (;;) {
      await sleep(every, stop);
      if (stop.aborted) return new Promise<never>(() => undefined); // the race is over; never settles
      const look = await this.look(id);
      const now = Date.now();
      missingSince = look.kind === 'missing' ? (missingSince ?? now) : null;
      unreachableSince = look.kind === 'unreachable' ? (unreachableSince ?? now) : null;
      if (look.kind === 'completed') return look.result;
      if (look.kind === 'failed') throw look.error;
      if (missingSince !== null && now - missingSince >= (this.o.lostAfterMs ?? 15_000)) {
        throw new TaskLostError(`task ${id} vanished from the job queue (Redis at ${this.where} lost its data?); missing for ${now - missingSince} ms`);
      }
      if (look.kind === 'unreachable' && unreachableSince !== null && now - unreachableSince >= (this.o.unreachableAfterMs ?? 120_000)) {
        throw new TaskLostError(`the job queue (Redis at ${this.where}) has been unreachable for ${now - unreachableSince} ms while task ${id} waited: ${look.error}`);
      }
    }
  }

  private async look(id: string): Promise<TaskLook> {
    try {
      const job = await withTimeout(Job.fromId(this.queue, id), 2000, 'reading a task');
      if (!job) return { kind: 'missing' };
      const state = await withTimeout(job.getState(), 2000, 'reading a task state');
      if (state === 'unknown') return { kind: 'missing' };
      if (state === 'completed') return { kind: 'completed', result: job.returnvalue as TaskResult };
      if (state === 'failed') return { kind: 'failed', error: reviveFailure(job.failedReason) };
      return { kind: 'waiting' };
    } catch (error) {
      return { kind: 'unreachable', error: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    this.probe.disconnect();
    // a graceful close waits for Redis; when it is gone, force the connections down instead
    const events = this.events;
    const graceful = Promise.allSettled([events?.close(), this.queue.close()]);
    await withTimeout(graceful, 2000, 'closing the queue').catch(async () => {
      await withTimeout(Promise.allSettled([events?.disconnect(), this.queue.disconnect()]), 1000, 'disconnecting').catch((error: unknown) =>
        this.o.logger?.log('warn', 'queue connections did not close in time; exiting anyway', { error: String(error) }),
      );
    });
  }
}

/** Waits ms, or less when stopped (the abort listener is removed either way: no pile-up over a long wait). */
function sleep(ms: number, stop: AbortSignal): Promise<void> {
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

/** A worker's error arrives as the JSON of serializeError (UnrecoverableError's message). */
function reviveFailure(message: string): Error {
  try {
    return reviveError(JSON.parse(message) as { name?: string; message?: string });
  } catch {
    return new Error(message);
  }
}
