import { Worker } from 'node:worker_threads';
import { TaskCancelledError } from './errors.js';
import { reviveError, type RunTaskOptions, type TaskExecutor } from './executor.js';
import type { Task, TaskResult } from './tasks.js';

export interface ThreadPoolOptions {
  readonly dataDir: string;
  /** Threads (default 2). */
  readonly size?: number;
  /** How long a cancelled task may take to stop before its thread is terminated (ms, default 2000). */
  readonly cancelGraceMs?: number;
}

interface Pending {
  readonly id: number;
  readonly task: Task;
  readonly options: RunTaskOptions;
  resolve(r: TaskResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
  ready: Promise<void>;
}

type Outbound =
  | { type: 'ready' }
  | { type: 'progress'; id: number; progress: Parameters<NonNullable<RunTaskOptions['onProgress']>>[0] }
  | { type: 'done'; id: number; result: TaskResult }
  | { type: 'error'; id: number; error: { name: string; message: string } };

/**
 * The embedded executor: a fixed pool of worker threads, one task per thread at a time. Waiting
 * tasks are served tenant by tenant (the tenant served longest ago first, FIFO within a tenant), so
 * one tenant's chunk tasks do not keep another tenant's task waiting behind all of them.
 */
export class ThreadPoolExecutor implements TaskExecutor {
  readonly name = 'threads';
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Tenant -> sequence number of its last dispatched task (older = served first); pruned with the queue. */
  private readonly lastServed = new Map<string, number>();
  private dispatched = 0;

  constructor(private readonly options: ThreadPoolOptions) {
    const size = options.size ?? 2;
    if (!Number.isInteger(size) || size < 1) throw new Error(`option size must be a positive integer, got ${size}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** Resolves when every thread has loaded the task code (threads start in the background). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  async checkAvailable(): Promise<void> {
    if (this.closed) throw new Error('thread pool is closed');
  }

  run(task: Task, options: RunTaskOptions): Promise<TaskResult> {
    if (this.closed) return Promise.reject(new Error('thread pool is closed'));
    if (options.signal?.aborted) return Promise.reject(new TaskCancelledError());
    return new Promise<TaskResult>((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, task, options, resolve, reject };
      options.signal?.addEventListener('abort', () => this.cancel(pending), { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('thread pool closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.current?.reject(new Error('thread pool closed'));
        slot.current = null;
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./pool-thread.mjs', import.meta.url), { workerData: { dataDir: this.options.dataDir } });
    const slot: Slot = { worker, current: null, ready: Promise.resolve() };
    slot.ready = new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
    });
    worker.on('message', (msg: Outbound) => this.onMessage(slot, msg));
    worker.on('error', (error) => this.onExit(slot, error));
    worker.on('exit', (code) => this.onExit(slot, new Error(`worker thread exited with code ${code}`)));
    return slot;
  }

  private onMessage(slot: Slot, msg: Outbound): void {
    if (msg.type === 'ready') return;
    const current = slot.current;
    if (!current || current.id !== msg.id) return; // a late message of a task already cancelled
    if (msg.type === 'progress') {
      current.options.onProgress?.(msg.progress);
      return;
    }
    slot.current = null;
    if (msg.type === 'done') current.resolve(msg.result);
    else current.reject(current.options.signal?.aborted ? new TaskCancelledError() : reviveError(msg.error));
    this.dispatch();
  }

  /** A thread died (crash or terminate): fail its task and put a fresh thread in its place. */
  private onExit(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    const current = slot.current;
    slot.current = null;
    if (current) current.reject(current.options.signal?.aborted ? new TaskCancelledError() : error);
    if (this.closed) return;
    this.slots[index] = this.spawn();
    this.dispatch();
  }

  /** The waiting task of the tenant served longest ago (FIFO within a tenant and for untagged tasks). */
  private takeNext(): Pending {
    let best = 0;
    let bestServed = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    for (let i = 0; i < this.queue.length; i++) {
      const tenant = this.queue[i]!.options.tenant ?? '';
      if (seen.has(tenant)) continue;
      seen.add(tenant);
      const served = this.lastServed.get(tenant) ?? -1;
      if (served < bestServed) {
        best = i;
        bestServed = served;
      }
    }
    const [next] = this.queue.splice(best, 1);
    this.lastServed.set(next!.options.tenant ?? '', this.dispatched++);
    // only tenants with waiting tasks need remembering: the map stays as small as the queue
    if (this.lastServed.size > 2 * this.queue.length + 8) for (const t of [...this.lastServed.keys()]) if (!seen.has(t)) this.lastServed.delete(t);
    return next!;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.current) continue;
      const next = this.takeNext();
      slot.current = next;
      void slot.ready.then(() => {
        if (slot.current === next) slot.worker.postMessage({ type: 'run', id: next.id, task: next.task });
      });
    }
  }

  private cancel(pending: Pending): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      pending.reject(new TaskCancelledError());
      return;
    }
    const slot = this.slots.find((s) => s.current === pending);
    if (!slot) return;
    slot.worker.postMessage({ type: 'cancel', id: pending.id });
    // A task deep in a kernel may not look at its signal soon: end the thread after a grace period.
    const timer = setTimeout(() => {
      if (slot.current === pending) void slot.worker.terminate();
    }, this.options.cancelGraceMs ?? 2000);
    timer.unref();
  }
}
