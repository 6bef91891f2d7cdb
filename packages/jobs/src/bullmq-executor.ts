import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { CONNECTION_FAILURE, redisConnection, sleep, whenRedisReady, withTimeout } from './bullmq.js';
import { QueueUnavailableError, TaskCancelledError, TaskLostError } from './errors.js';
import { reviveError, type RunTaskOptions, type TaskExecutor } from './executor.js';
import type { JobLogger } from './job-service.js';
import { queueStayedDownMessage, type QueueOutagePolicy } from './queue-outage.js';
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
  /** run() waits this long for an unreachable Redis: a submit meanwhile is accepted (JobService). */
  readonly queueOutage: QueueOutagePolicy;

  constructor(private readonly o: BullMqExecutorOptions) {
    const name = o.queueName ?? 'panel-lab';
    const u = new URL(o.redisUrl);
    this.where = `${u.hostname}:${u.port || 6379}`;
    this.queueOutage = { where: this.where, boundMs: o.unreachableAfterMs ?? 120_000 };
    this.retention = { ...DEFAULT_RETENTION, ...o.retention };
    this.queue = new Queue(name, { connection: redisConnection(o.redisUrl, false), streams: { events: { maxLen: this.retention.eventsMaxLen } } });
    // every connection reports its errors (an emitter without a listener throws and kills the process);
    // the failures that matter also surface through checkAvailable and run
    this.probe = new Redis({ ...redisConnection(o.redisUrl, false), lazyConnect: true });
    this.probe.on('error', this.reporter('health probe'));
    this.queue.on('error', this.reporter('queue'));
  }

  /** An 'error' listener that logs a connection's errors, at most one line per 10 s (a reconnect loop emits one per try). */
  private reporter(connection: string): (error: Error) => void {
    let last = 0;
    let skipped = 0;
    return (error) => {
      const now = Date.now();
      if (now - last < 10_000) {
        skipped++;
        return;
      }
      this.o.logger?.log('warn', 'job queue connection error', { connection, error: error.message, ...(skipped ? { skipped } : {}) });
      last = now;
      skipped = 0;
    };
  }

  private eventsReady(): QueueEvents {
    if (!this.events) {
      const events = new QueueEvents(this.o.queueName ?? 'panel-lab', { connection: redisConnection(this.o.redisUrl, true) });
      events.on('error', this.reporter('queue events'));
      events.on('progress', ({ jobId, data }) => this.progress.get(jobId)?.(data as unknown as JobProgress));
      this.events = events;
    }
    return this.events;
  }

  async checkAvailable(): Promise<void> {
    try {
      await whenRedisReady(this.probe, 1500);
      await withTimeout(this.probe.ping(), 1500, 'Redis ping');
    } catch (error) {
      throw new QueueUnavailableError(`the job queue (Redis at ${this.where}) is unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async run(task: Task, options: RunTaskOptions): Promise<TaskResult> {
    if (options.signal?.aborted) throw new TaskCancelledError();
    // a Redis restart while the task is being handed over is waited out (PANEL_LAB_QUEUE_DOWN_MS), not failed at once
    const events = await this.untilQueueUp(options, async () => {
      await this.checkAvailable();
      const e = this.eventsReady();
      await withTimeout(e.waitUntilReady(), 5000, 'subscribing to queue events');
      return e;
    });
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
      // listening before the add: a task that finishes at once is not missed (the watch is the backstop)
      const finished = this.finishEvent(id, events, stopWatch.signal);
      // the same id at every try: an add that reached Redis before the connection dropped is not doubled
      const job = await this.untilQueueUp(options, () =>
        this.queue.add(task.type, task, {
          jobId: id,
          removeOnComplete: { age: r.completedAgeS, count: r.completedCount },
          removeOnFail: { age: r.failedAgeS, count: r.failedCount },
        }),
      );
      const cancelled = new Promise<never>((_, reject) => {
        const onAbort = () => {
          // only possible while it waits; a running one finishes and its result is ignored
          void job.remove().catch((error: unknown) => this.o.logger?.log('info', 'cancelled task already running; its result will be ignored', { taskId: id, error: String(error) }));
          reject(new TaskCancelledError());
        };
        if (options.signal?.aborted) onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true, signal: stopWatch.signal });
      });
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
   * Settles on the task's completed/failed event. Not BullMQ's Job.waitUntilFinished: its promise
   * executor is async and its first Redis read (isFinished) is awaited inside it, so a Redis drop at
   * that moment became an unhandled MaxRetriesPerRequestError that killed the API (issue 17) and left
   * the wait pending forever. The first read is the watch's job here.
   */
  private finishEvent(id: string, events: QueueEvents, stop: AbortSignal): Promise<TaskResult> {
    // per-task event names (`completed:<id>`) are emitted by QueueEvents but not in its typed listener map
    const emitter = events as unknown as EventEmitter;
    const p = new Promise<TaskResult>((resolve, reject) => {
      const completed = `completed:${id}`;
      const failed = `failed:${id}`;
      const onCompleted = (args: { returnvalue: unknown }) => {
        off();
        resolve(args.returnvalue as TaskResult);
      };
      const onFailed = (args: { failedReason: string }) => {
        off();
        reject(reviveFailure(args.failedReason));
      };
      const off = () => {
        emitter.off(completed, onCompleted);
        emitter.off(failed, onFailed);
        stop.removeEventListener('abort', off);
      };
      emitter.on(completed, onCompleted);
      emitter.on(failed, onFailed);
      stop.addEventListener('abort', off, { once: true });
    });
    p.catch(() => undefined); // raced in runOnce; a rejection after the race is over is nobody's
    return p;
  }

  /**
   * Runs `step` (a hand-over to Redis) until it succeeds; a connection failure is retried with a
   * short backoff while Redis has been unreachable for less than unreachableAfterMs
   * (PANEL_LAB_QUEUE_DOWN_MS), then fails naming the bound. Other errors fail at once.
   */
  private async untilQueueUp<T>(options: RunTaskOptions, step: () => Promise<T>): Promise<T> {
    const bound = this.queueOutage.boundMs;
    const since = Date.now();
    const signal = options.signal ?? new AbortController().signal;
    let warned = false;
    for (let delay = 100; ; delay = Math.min(2 * delay, 1000)) {
      try {
        return await step();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!(error instanceof QueueUnavailableError) && !CONNECTION_FAILURE.test(message)) throw error;
        if (signal.aborted) throw new TaskCancelledError();
        const down = Date.now() - since;
        if (down >= bound) throw new QueueUnavailableError(queueStayedDownMessage(this.queueOutage, down, message));
        if (!warned) this.o.logger?.log('warn', 'job queue unreachable; the task waits for it', { jobId: options.jobId, boundMs: bound, error: message });
        warned = true;
        await sleep(delay, signal);
      }
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
      if (look.kind === 'unreachable' && unreachableSince !== null && now - unreachableSince >= this.queueOutage.boundMs) {
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

/** A worker's error arrives as the JSON of serializeError (UnrecoverableError's message). */
function reviveFailure(message: string): Error {
  try {
    return reviveError(JSON.parse(message) as { name?: string; message?: string });
  } catch {
    return new Error(message);
  }
}
