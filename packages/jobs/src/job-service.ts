import { EventEmitter } from 'node:events';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseRunSpec } from '@panel-lab/analysis';
import type { PlaceboChunk } from '@panel-lab/resample';
import type { DataDir } from './data-dir.js';
import { ConflictError, NotFoundError, QueueUnavailableError, TaskCancelledError } from './errors.js';
import type { TaskExecutor } from './executor.js';
import type { Jobs } from './jobs.js';
import { FairQueue } from './fair-queue.js';
import { checkQuotas, clampProgress, datasetRef, deleteFinishedJob, isInputFault, newJobRecord, resultDirOf, toJobError, validateAnalysis, validatePlacebo } from './intake.js';
import { forEachLimited } from './limited.js';
import type { MetaStore } from './store.js';
import { PlaceboJobSpec } from './placebo-spec.js';
import { withQueueDownNote, type QueueOutagePolicy } from './queue-outage.js';
import { taskRef } from './task-frames.js';
import type { DatasetRef, ResolvedDataset, Task } from './tasks.js';
import { TERMINAL_STATES, type JobKind, type JobProgress, type JobRecord, type TenantLimits } from './types.js';

export interface JobLogger {
  log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void;
}

export interface JobServiceOptions {
  readonly store: MetaStore;
  readonly dir: DataDir;
  readonly executor: TaskExecutor;
  readonly limitsOf: (tenant: string) => TenantLimits;
  /** Top-level jobs running at once over all tenants (others wait, state 'queued'). Default 4. */
  readonly maxRunning?: number;
  /** Chunk tasks of one placebo job in the executor at once (the rest start as those finish). Default 2. */
  readonly chunkConcurrency?: number;
  /** Starts of a job (restarts included) before it is failed. Default 3. */
  readonly maxAttempts?: number;
  /** Tries of one chunk task (a crashed thread or worker) before the parent fails. Default 3. */
  readonly chunkAttempts?: number;
  readonly logger?: JobLogger;
  /** Finished jobs remembered (to drop their late progress messages): at most this many... (default 10000) */
  readonly settledMax?: number;
  /** ...and for at most this long (ms, default 300000). */
  readonly settledTtlMs?: number;
}

interface Running {
  readonly tenant: string;
  readonly controller: AbortController;
}

const isTerminal = (j: JobRecord) => TERMINAL_STATES.includes(j.state);

/**
 * Owns every job's life: validation and quotas at submit, a fair queue of waiting jobs (round-robin
 * over tenants, each with its own running limit), execution through the executor (threads or
 * queue), progress events, cancellation, results on disk, and recovery of the jobs a previous
 * process left queued or running.
 */
export class JobService implements Jobs {
  private readonly events = new EventEmitter();
  private readonly waiting = new FairQueue();
  private readonly running = new Map<string, Running>();
  private readonly lastWrite = new Map<string, number>();
  /** Latest record of each queued or running job: status reads need no database round trip. */
  private readonly live = new Map<string, JobRecord>();
  /** Job id -> when it finished: late progress of a finished job is dropped. Pruned by age and count. */
  private readonly settled = new Map<string, number>();
  private closed = false;
  /** Set by drain(): no job starts or is accepted; jobs aborted from now on go back to 'queued'. */
  private draining = false;
  private requeueAborted = false;
  /** Resolves when the running set empties (drain waits on it). */
  private idle: (() => void) | null = null;

  constructor(private readonly o: JobServiceOptions) {
    this.events.setMaxListeners(0);
  }

  /** Re-queues what a previous process left queued, and resumes (or fails, past maxAttempts) what it left running. */
  async recover(): Promise<{ requeued: string[]; resumed: string[]; failed: string[] }> {
    const out = { requeued: [] as string[], resumed: [] as string[], failed: [] as string[] };
    for (const job of await this.o.store.jobsInStates(['queued', 'running'])) {
      if (job.state === 'queued') {
        out.requeued.push(job.id);
        this.enqueue(job);
        continue;
      }
      const at = new Date().toISOString();
      if (job.attempts >= (this.o.maxAttempts ?? 3)) {
        const failed = { ...job, state: 'failed' as const, finishedAt: at, error: { message: `interrupted by a restart ${job.attempts} times; not resumed again` }, notes: [...job.notes, `${at}: interrupted by a restart; failed after ${job.attempts} attempts`] };
        await this.save(failed, true);
        out.failed.push(job.id);
      } else {
        const requeued = { ...job, state: 'queued' as const, notes: [...job.notes, `${at}: interrupted by a restart while running; resumed`] };
        await this.save(requeued, true);
        out.resumed.push(job.id);
        this.enqueue(requeued);
      }
    }
    this.log('info', 'recovered jobs', out);
    return out;
  }

  /** Validates an analysis spec (SpecError / InputError naming the field) and queues it. */
  async submitAnalysis(tenant: string, input: unknown): Promise<JobRecord> {
    return this.create(tenant, 'analysis', await validateAnalysis(this.o.store, this.o.limitsOf(tenant), tenant, input));
  }

  /** Validates a placebo job (draws split into chunk child jobs) and queues it. */
  async submitPlacebo(tenant: string, input: unknown): Promise<JobRecord> {
    return this.create(tenant, 'placebo', await validatePlacebo(this.o.store, this.o.limitsOf(tenant), tenant, input));
  }

  async get(tenant: string, id: string): Promise<JobRecord> {
    const hot = this.live.get(id);
    if (hot && hot.tenant === tenant) return hot;
    const job = await this.o.store.getJob(tenant, id);
    if (!job) throw new NotFoundError(`job '${id}' not found`);
    return job;
  }

  list(tenant: string): Promise<JobRecord[]> {
    return this.o.store.listJobs(tenant);
  }

  children(tenant: string, id: string): Promise<JobRecord[]> {
    return this.get(tenant, id).then(() => this.o.store.childJobs(id));
  }

  /** Cancels a queued or running job (ConflictError when it has already finished). */
  async cancel(tenant: string, id: string): Promise<JobRecord> {
    const job = await this.get(tenant, id);
    if (isTerminal(job)) throw new ConflictError(`job '${id}' has already ${job.state}`);
    const at = new Date().toISOString();
    if (this.waiting.remove(tenant, id)) {
      const cancelled = { ...job, state: 'cancelled' as const, finishedAt: at, notes: [...job.notes, `${at}: cancelled by the tenant while queued`] };
      await this.save(cancelled, true);
      return cancelled;
    }
    const run = this.running.get(id);
    if (run) {
      run.controller.abort();
      return this.waitFor(tenant, id, 30_000);
    }
    // Neither queued nor running here (e.g. store ahead of memory): settle it explicitly.
    const cancelled = { ...job, state: 'cancelled' as const, finishedAt: at, notes: [...job.notes, `${at}: cancelled by the tenant`] };
    await this.save(cancelled, true);
    return cancelled;
  }

  /** Subscribes to a job's updates; returns the unsubscribe function. */
  subscribe(id: string, listener: (job: JobRecord) => void): () => void {
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }

  watch(_tenant: string, id: string, listener: (job: JobRecord) => void): () => void {
    return this.subscribe(id, listener);
  }

  /** Resolves with the job once it reaches a terminal state (or the timeout, with its state then). */
  async waitFor(tenant: string, id: string, timeoutMs: number): Promise<JobRecord> {
    // subscribe before reading, so a state change between the read and the subscription is not missed
    let off = () => {};
    let timer: NodeJS.Timeout | undefined;
    const settled = new Promise<JobRecord>((resolve) => {
      off = this.subscribe(id, (j) => {
        if (isTerminal(j)) resolve(j);
      });
      timer = setTimeout(() => void this.get(tenant, id).then(resolve, () => undefined), timeoutMs);
      timer.unref();
    });
    try {
      const job = await this.get(tenant, id);
      if (isTerminal(job)) return job;
      return await settled;
    } finally {
      off();
      clearTimeout(timer);
    }
  }

  /** Directory holding a finished job's result.json and report/ (ConflictError if not succeeded). */
  async resultDir(tenant: string, id: string): Promise<{ job: JobRecord; dir: string }> {
    return resultDirOf(this.o.dir, await this.get(tenant, id));
  }

  async delete(tenant: string, id: string): Promise<void> {
    await deleteFinishedJob(this.o.store, this.o.dir, await this.get(tenant, id));
  }

  /**
   * Graceful stop: accepts and starts nothing more, lets running jobs finish until the timeout,
   * then aborts the rest and puts them back to 'queued' with a note (the next process runs them
   * again; a placebo job keeps the chunks it finished). Queued jobs stay queued.
   */
  async drain(timeoutMs: number): Promise<{ finished: number; requeued: string[] }> {
    this.draining = true;
    const before = this.running.size;
    await new Promise<void>((resolve) => {
      if (this.running.size === 0) return resolve();
      const timer = setTimeout(resolve, timeoutMs);
      this.idle = () => (clearTimeout(timer), resolve());
    });
    const requeued = [...this.running.keys()];
    this.requeueAborted = true;
    const settledAll = new Promise<void>((resolve) => {
      if (this.running.size === 0) return resolve();
      this.idle = resolve;
    });
    for (const run of this.running.values()) run.controller.abort(new Error('shutdown'));
    // an aborted job settles quickly (a thread is terminated after its cancel grace); do not wait past that
    await Promise.race([settledAll, new Promise((r) => setTimeout(r, 3000).unref())]);
    this.log('info', 'jobs drained', { finished: before - requeued.length, requeued });
    return { finished: before - requeued.length, requeued };
  }

  /** Stops taking work; running jobs are aborted but stay 'running' in the store (resumed at the next start). */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    this.live.clear();
    for (const run of this.running.values()) run.controller.abort(new Error('shutdown'));
    this.running.clear();
  }

  // --- internals ----------------------------------------------------------------------------

  /** The tenant's dataset as a task reads it: its Arrow copy (pool threads never load DuckDB). */
  private async datasetRef(tenant: string, id: string, path: string): Promise<DatasetRef> {
    return taskRef(this.o.dir.root, await datasetRef(this.o.store, tenant, id, path));
  }

  private async create(tenant: string, kind: JobKind, input: unknown): Promise<JobRecord> {
    if (this.closed || this.draining) throw new QueueUnavailableError('the server is shutting down; submit again in a moment');
    await checkQuotas(this.o.store, this.o.limitsOf(tenant), tenant, kind, input);
    const down = await this.queueDown();
    // queue (Redis) unreachable: accepted with a note, as in the distributed engine; the executor's hand-over waits for it up to the bound
    const job = down ? withQueueDownNote(newJobRecord(tenant, kind, input), down.policy, 'at submit') : newJobRecord(tenant, kind, input);
    await this.save(job, true);
    if (down) this.log('warn', 'job queue unreachable at submit; the job waits for it', { jobId: job.id, tenant, kind, boundMs: down.policy.boundMs, error: down.reason });
    else this.log('info', 'job submitted', { jobId: job.id, tenant, kind });
    this.enqueue(job);
    return job;
  }

  /**
   * Null when the executor accepts tasks now; the outage when its queue is unreachable and it
   * waits such outages out (QueueUnavailableError, 503, from one that does not).
   */
  private async queueDown(): Promise<{ policy: QueueOutagePolicy; reason: string } | null> {
    try {
      await this.o.executor.checkAvailable();
      return null;
    } catch (error) {
      const policy = this.o.executor.queueOutage;
      if (!(error instanceof QueueUnavailableError) || !policy) throw error;
      return { policy, reason: error.message };
    }
  }

  private enqueue(job: JobRecord): void {
    this.waiting.push(job.tenant, job.id);
    this.pump();
  }

  private runningOf(tenant: string): number {
    let n = 0;
    for (const r of this.running.values()) if (r.tenant === tenant) n++;
    return n;
  }

  /** Starts waiting jobs while there are slots: round-robin over tenants, none past its own running limit. */
  private pump(): void {
    const max = this.o.maxRunning ?? 4;
    while (!this.closed && !this.draining && this.running.size < max) {
      const next = this.waiting.take((tenant) => this.runningOf(tenant) < this.o.limitsOf(tenant).runningJobs);
      if (!next) return;
      const { tenant, id } = next;
      const controller = new AbortController();
      this.running.set(id, { tenant, controller });
      void this.execute(tenant, id, controller.signal)
        .catch((error: unknown) => this.log('error', 'job bookkeeping failed', { jobId: id, error: String(error) }))
        .finally(() => {
          this.running.delete(id);
          if (this.running.size === 0) this.idle?.();
          this.pump();
        });
    }
  }

  private async execute(tenant: string, id: string, signal: AbortSignal): Promise<void> {
    let job = await this.get(tenant, id);
    const at = new Date().toISOString();
    job = { ...job, state: 'running', startedAt: job.startedAt ?? at, attempts: job.attempts + 1, progress: { fraction: 0, step: 'started' } };
    await this.save(job, true);
    this.log('info', 'job started', { jobId: id, tenant, kind: job.kind, attempt: job.attempts });
    const dir = this.o.dir.jobDir(tenant, id);
    await mkdir(dir, { recursive: true });
    try {
      let current = job;
      const progress = (p: JobProgress) => {
        current = { ...current, progress: clampProgress(p) };
        void this.save(current, false);
      };
      let failed: readonly string[] = [];
      if (job.kind === 'analysis') failed = await this.runAnalysis(job, dir, progress, signal);
      else if (job.kind === 'placebo') await this.runPlaceboJob(job, dir, progress, signal);
      else throw new Error(`job kind '${job.kind}' cannot be submitted on its own`);
      // Some analyses failed: the job still holds the others' results, and says which failed and why.
      const step = failed.length ? `done; ${failed.length} analysis(es) failed` : 'done';
      const done: JobRecord = { ...current, state: 'succeeded', finishedAt: new Date().toISOString(), notes: [...current.notes, ...failed], progress: { ...current.progress, fraction: 1, step } };
      await this.save(done, true);
      this.log('info', 'job succeeded', { jobId: id, tenant });
    } catch (error) {
      if (this.closed) return; // shutdown: left 'running' on purpose, resumed by the next process
      const latest = await this.get(tenant, id);
      const finishedAt = new Date().toISOString();
      if (this.requeueAborted) {
        await this.save({ ...latest, state: 'queued', progress: { ...latest.progress, step: 'queued' }, notes: [...latest.notes, `${finishedAt}: requeued by a server shutdown while running`] }, true);
        this.log('info', 'job requeued at shutdown', { jobId: id, tenant });
        return;
      }
      if (signal.aborted || error instanceof TaskCancelledError) {
        await this.save({ ...latest, state: 'cancelled', finishedAt, notes: [...latest.notes, `${finishedAt}: cancelled by the tenant while running`] }, true);
        this.log('info', 'job cancelled', { jobId: id, tenant });
      } else {
        await this.save({ ...latest, state: 'failed', finishedAt, error: toJobError(error, this.o.dir.root) }, true);
        this.log('warn', 'job failed', { jobId: id, tenant, error: String(error instanceof Error ? error.message : error) });
      }
    }
  }

  /** Runs the analysis task; returns one note per failed analysis; fails the job when every analysis failed. */
  private async runAnalysis(job: JobRecord, dir: string, progress: (p: JobProgress) => void, signal: AbortSignal): Promise<readonly string[]> {
    const spec = parseRunSpec(job.input);
    const datasets: Record<string, DatasetRef> = {};
    if (spec.dataset.source === 'dataset') datasets[spec.dataset.id] = await this.datasetRef(job.tenant, spec.dataset.id, 'dataset.id');
    const outDir = relative(this.o.dir.root, dir).split(sep).join('/');
    const task: Task = { type: 'analysis', spec, datasets, outDir };
    // the run is 95% of the job, the report the rest: progress never goes back
    const onProgress = (p: JobProgress) => progress({ ...p, fraction: p.step === 'writing report' ? p.fraction : 0.95 * p.fraction });
    const out = await this.o.executor.run(task, { jobId: job.id, tenant: job.tenant, onProgress, signal });
    const failures = out.kind === 'analysis_written' ? (out.failures ?? []) : [];
    const notes = failures.map((f) => `failed: ${f.where}: ${f.message}`);
    if (failures.length > 0 && failures.length === spec.analyses.length) throw new Error(`every analysis failed: ${notes.join('; ')}`);
    return notes;
  }

  /** Marks a job finished, forgetting finished jobs past settledTtlMs or beyond the newest settledMax. */
  private remember(id: string): void {
    const now = Date.now();
    this.settled.delete(id);
    this.settled.set(id, now); // insertion order = finishing order: the oldest come first
    const max = this.o.settledMax ?? 10_000;
    const ttl = this.o.settledTtlMs ?? 300_000;
    for (const [old, at] of this.settled) {
      if (this.settled.size <= max && now - at < ttl) break;
      this.settled.delete(old);
    }
  }

  /** Sizes of the in-memory maps (tests and metrics: every one is bounded). */
  memoryStats(): { waiting: number; running: number; live: number; settled: number; lastWrite: number } {
    return { waiting: this.waiting.size, running: this.running.size, live: this.live.size, settled: this.settled.size, lastWrite: this.lastWrite.size };
  }

  /** Fans the draws out as chunk child jobs (kept on disk: a resumed job recomputes only missing chunks), then merges. */
  private async runPlaceboJob(job: JobRecord, dir: string, progress: (p: JobProgress) => void, signal: AbortSignal): Promise<void> {
    const options = PlaceboJobSpec.parse(job.input);
    const dataset: ResolvedDataset =
      options.dataset.source === 'dataset' ? { source: 'dataset', ref: await this.datasetRef(job.tenant, options.dataset.id, 'dataset.id') } : options.dataset;
    const nChunks = Math.ceil(options.draws / options.chunkSize);
    const chunkDir = join(dir, 'chunks');
    await mkdir(chunkDir, { recursive: true });
    // draws of each chunk on disk (the chunks themselves stay there: the merge task reads them)
    const chunks: (number | undefined)[] = Array.from({ length: nChunks }, () => undefined);
    for (const name of await readdir(chunkDir)) {
      const k = Number(/^(\d+)\.json$/.exec(name)?.[1] ?? Number.NaN);
      if (!Number.isInteger(k) || k >= nChunks) continue;
      try {
        chunks[k] = (JSON.parse(await readFile(join(chunkDir, name), 'utf8')) as PlaceboChunk).beta.length;
      } catch {
        // unreadable (should not happen: files are renamed into place whole): compute it again
      }
    }
    // a chunk whose file was written just before a crash may still be recorded as running: settle it
    for (const child of await this.o.store.childJobs(job.id)) {
      const k = (child.input as { chunkIndex?: number }).chunkIndex ?? -1;
      if (chunks[k] !== undefined && child.state !== 'succeeded') {
        await this.o.store.putJob({ ...child, state: 'succeeded', finishedAt: new Date().toISOString(), error: null, notes: [...child.notes, 'result found on disk after a restart'] });
      }
    }
    let drawsDone = chunks.reduce<number>((s, c) => s + (c ?? 0), 0);
    const report = () => progress({ fraction: 0.95 * (drawsDone / options.draws), step: 'placebo draws', done: drawsDone, total: options.draws });
    report();
    // aborted by the job's signal (even one that fired before this point) or by a failed chunk
    const childController = new AbortController();
    const childSignal = AbortSignal.any([signal, childController.signal]);
    const runChunk = async (k: number): Promise<void> => {
      const childId = `${job.id}-c${String(k).padStart(5, '0')}`;
      const base: JobRecord = { ...job, id: childId, kind: 'placebo-chunk', parentId: job.id, state: 'running', startedAt: new Date().toISOString(), finishedAt: null, attempts: 0, input: { chunkIndex: k }, notes: [], progress: { fraction: 0, step: `chunk ${k}` }, error: null };
      const tries = this.o.chunkAttempts ?? 3;
      for (let attempt = 1; ; attempt++) {
        await this.o.store.putJob({ ...base, attempts: attempt });
        try {
          const chunk = (await this.o.executor.run({ type: 'placebo-chunk', dataset, options, chunkIndex: k }, { jobId: childId, tenant: job.tenant, signal: childSignal })) as PlaceboChunk;
          // write then rename: a crash never leaves a half-written chunk under its final name
          await writeFile(join(chunkDir, `${k}.json.tmp`), JSON.stringify(chunk));
          await rename(join(chunkDir, `${k}.json.tmp`), join(chunkDir, `${k}.json`));
          chunks[k] = chunk.beta.length;
          drawsDone += chunk.beta.length;
          await this.o.store.putJob({ ...base, attempts: attempt, state: 'succeeded', finishedAt: new Date().toISOString(), progress: { fraction: 1, step: 'done', done: chunk.beta.length, total: chunk.beta.length } });
          report();
          return;
        } catch (error) {
          const cancelled = childSignal.aborted || error instanceof TaskCancelledError;
          // the queue stayed down past PANEL_LAB_QUEUE_DOWN_MS: another try would wait that long again
          if (cancelled || attempt >= tries || isInputFault(error) || error instanceof QueueUnavailableError) {
            await this.o.store.putJob({ ...base, attempts: attempt, state: cancelled ? 'cancelled' : 'failed', finishedAt: new Date().toISOString(), error: toJobError(error, this.o.dir.root) });
            // stopped because a sibling chunk failed: that failure is the job's error, this one only its echo
            if (cancelled && childController.signal.aborted && !signal.aborted) return;
            throw error;
          }
          this.log('warn', 'chunk failed; retrying', { jobId: job.id, chunk: k, attempt, error: String(error instanceof Error ? error.message : error) });
        }
      }
    };
    const missing = chunks.map((c, k) => (c !== undefined ? -1 : k)).filter((k) => k >= 0);
    // a few chunks at a time: the executor's queue (and the store) never holds one job's whole fan-out
    await forEachLimited(missing, this.o.chunkConcurrency ?? 2, runChunk, () => childController.abort());
    progress({ fraction: 0.96, step: 'merging chunks', done: options.draws, total: options.draws });
    const outDir = relative(this.o.dir.root, dir).split(sep).join('/');
    await this.o.executor.run({ type: 'placebo-merge', dataset, options, outDir, chunks: nChunks }, { jobId: job.id, tenant: job.tenant, signal });
  }

  /** Stores a job and tells subscribers; progress-only writes are throttled (events are not). */
  private async save(job: JobRecord, force: boolean): Promise<void> {
    // a late progress message (queue events arrive asynchronously) must not revive a finished job
    if (this.settled.has(job.id) && !isTerminal(job)) return;
    if (isTerminal(job)) this.remember(job.id);
    // the terminal record too, until it is in the store (then reads go to the store)
    if (!this.closed) this.live.set(job.id, job);
    this.events.emit(job.id, job);
    const now = Date.now();
    if (!force && now - (this.lastWrite.get(job.id) ?? 0) < 250) return;
    this.lastWrite.set(job.id, now);
    if (isTerminal(job)) this.lastWrite.delete(job.id);
    try {
      await this.o.store.putJob(job);
      if (isTerminal(job)) this.live.delete(job.id);
    } catch (error) {
      if (force) throw error;
      // a throttled progress write may race a shutdown; the next forced save carries the state
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    this.o.logger?.log(level, message, fields);
  }
}
