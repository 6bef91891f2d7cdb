import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FlowProducer, Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_RETENTION, type QueueRetention } from './bullmq-executor.js';
import { CONNECTION_FAILURE, redisConnection, sleep, whenRedisReady, withTimeout } from './bullmq.js';
import type { DataDir } from './data-dir.js';
import { ConflictError, NotFoundError, QueueUnavailableError } from './errors.js';
import { admitLockKey, cancelChannel, chunkTaskId, retentionOptions, tenantQueue, tenantsKey, type FlowTask } from './flow-names.js';
import { checkQuotas, deleteFinishedJob, newJobRecord, resultDirOf, validateAnalysis, validatePlacebo } from './intake.js';
import type { JobLogger } from './job-service.js';
import type { ExecutorStatus, Jobs } from './jobs.js';
import { PlaceboJobSpec } from './placebo-spec.js';
import { queueStayedDownMessage, withQueueDownNote, type QueueOutagePolicy } from './queue-outage.js';
import { redactPaths } from './redact.js';
import type { MetaStore } from './store.js';
import { TERMINAL_STATES, type JobKind, type JobRecord, type TenantLimits } from './types.js';

export interface FlowJobsOptions {
  readonly store: MetaStore;
  readonly dir: DataDir;
  readonly limitsOf: (tenant: string) => TenantLimits;
  readonly redisUrl: string;
  readonly queueName?: string;
  readonly logger?: JobLogger;
  /** Tasks of one tenant running at once over all workers: the global concurrency of its queue (default 4). */
  readonly tenantTasks?: number;
  /** Tries of one chunk task before the job fails (default 3). */
  readonly chunkAttempts?: number;
  /** How often the store is read for a watched job (SSE, waitFor; ms, default 500). */
  readonly pollMs?: number;
  /** How often the lost-task sweep runs (ms, default 5000; 0 turns it off). */
  readonly checkIntervalMs?: number;
  /** An active job whose root task is missing from Redis this long is added again (ms, default 15000). */
  readonly lostAfterMs?: number;
  /** Times a job whose tasks vanished is added again before it is failed (default 1). */
  readonly requeueLost?: number;
  readonly retention?: Partial<QueueRetention>;
  /**
   * A job submitted while Redis is unreachable is accepted and added once Redis is back; past this
   * bound it is failed naming it (ms, default 120000: PANEL_LAB_QUEUE_DOWN_MS, as the one-process modes).
   */
  readonly unreachableAfterMs?: number;
}

const isTerminal = (j: JobRecord) => TERMINAL_STATES.includes(j.state);
/** How long one add may take before it counts as an outage (a producer fails fast, but a queue still connecting waits). */
const ADD_TIMEOUT_MS = 3000;

interface Poller {
  readonly listeners: Set<(job: JobRecord) => void>;
  readonly timer: NodeJS.Timeout;
  last: string;
  busy: boolean;
}

/**
 * The distributed engine's API side. A replica validates and counts quotas against the store,
 * writes the job record and hands the work to BullMQ: an analysis is one task, a placebo job a
 * FlowProducer flow (the merge is the parent, the chunks its children) in the tenant's own queue.
 * Workers (FlowWorker) run the tasks and write every state change to the store; replicas read the
 * store (status, lists, SSE by polling), cancel through the store plus a pub/sub message to the
 * workers, and sweep for jobs whose tasks vanished from Redis. Nothing about a job lives only in
 * one process's memory: any replica serves any request, and killing one loses nothing.
 */
export class FlowJobs implements Jobs, ExecutorStatus {
  readonly name = 'bullmq-flows';
  private readonly queueName: string;
  private readonly queues = new Map<string, Queue>();
  private readonly flows: FlowProducer;
  /** Plain commands: pings, the tenants set, cancel messages. */
  private readonly redis: Redis;
  private readonly where: string;
  private readonly retention: QueueRetention;
  private readonly pollers = new Map<string, Poller>();
  /** Job id -> when the sweep first saw its root task missing (or finished while the job is active). */
  private readonly suspect = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout | null;
  /** Jobs accepted while Redis was unreachable, being added by this replica (job id -> stop). */
  private readonly pendingAdds = new Map<string, AbortController>();
  private sweeping = false;
  private draining = false;
  private closed = false;
  /** Submits while Redis is unreachable are accepted and added once it is back, up to this bound. */
  private readonly outage: QueueOutagePolicy;

  constructor(private readonly o: FlowJobsOptions) {
    this.queueName = o.queueName ?? 'panel-lab';
    const u = new URL(o.redisUrl);
    this.where = `${u.hostname}:${u.port || 6379}`;
    this.outage = { where: this.where, boundMs: o.unreachableAfterMs ?? 120_000 };
    this.retention = { ...DEFAULT_RETENTION, ...o.retention };
    this.flows = new FlowProducer({ connection: redisConnection(o.redisUrl, false) });
    this.flows.on('error', (error) => this.log('warn', 'flow producer error', { error: error.message }));
    this.redis = new Redis({ ...redisConnection(o.redisUrl, false), lazyConnect: true });
    // every connection has an 'error' listener (one without kills the process); failures also surface through the calls
    let lastError = 0;
    this.redis.on('error', (error: Error) => {
      if (Date.now() - lastError < 10_000) return; // a reconnect loop emits one per try
      lastError = Date.now();
      this.log('warn', 'Redis command connection error', { error: error.message });
    });
    const every = o.checkIntervalMs ?? 5000;
    this.sweeper = every > 0 ? setInterval(() => void this.sweep(), every) : null;
    this.sweeper?.unref();
  }

  // --- ExecutorStatus -------------------------------------------------------------------------

  async checkAvailable(): Promise<void> {
    try {
      await whenRedisReady(this.redis, 1500);
      await withTimeout(this.redis.ping(), 1500, 'Redis ping');
    } catch (error) {
      throw new QueueUnavailableError(`the job queue (Redis at ${this.where}) is unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // --- Jobs -----------------------------------------------------------------------------------

  async submitAnalysis(tenant: string, input: unknown): Promise<JobRecord> {
    return this.create(tenant, 'analysis', await validateAnalysis(this.o.store, this.o.limitsOf(tenant), tenant, input));
  }

  async submitPlacebo(tenant: string, input: unknown): Promise<JobRecord> {
    return this.create(tenant, 'placebo', await validatePlacebo(this.o.store, this.o.limitsOf(tenant), tenant, input));
  }

  async get(tenant: string, id: string): Promise<JobRecord> {
    const job = await this.o.store.getJob(tenant, id);
    if (!job) throw new NotFoundError(`job '${id}' not found`);
    return job;
  }

  list(tenant: string): Promise<JobRecord[]> {
    return this.o.store.listJobs(tenant);
  }

  async children(tenant: string, id: string): Promise<JobRecord[]> {
    await this.get(tenant, id);
    return this.o.store.childJobs(id);
  }

  async cancel(tenant: string, id: string): Promise<JobRecord> {
    const at = new Date().toISOString();
    const r = await this.o.store.updateJob(tenant, id, (j) =>
      isTerminal(j) ? null : { ...j, state: 'cancelled', finishedAt: at, notes: [...j.notes, `${at}: cancelled by the tenant while ${j.state}`] },
    );
    if (!r) throw new NotFoundError(`job '${id}' not found`);
    if (!r.changed) throw new ConflictError(`job '${id}' has already ${r.job.state}`);
    this.log('info', 'job cancelled', { jobId: id, tenant });
    this.notify(r.job);
    // the store is the truth (workers skip tasks of a finished job); these only stop work sooner
    await this.redis.publish(cancelChannel(this.queueName), JSON.stringify({ jobId: id })).catch((error: unknown) =>
      this.log('warn', 'cancel message not sent; running tasks finish and are dropped', { jobId: id, error: String(error) }),
    );
    await this.removeTasks(r.job);
    return r.job;
  }

  watch(tenant: string, id: string, listener: (job: JobRecord) => void): () => void {
    const key = `${tenant}/${id}`;
    let p = this.pollers.get(key);
    if (!p) {
      const timer = setInterval(() => void this.poll(key, tenant, id), this.o.pollMs ?? 500);
      timer.unref();
      p = { listeners: new Set(), timer, last: '', busy: false };
      this.pollers.set(key, p);
    }
    const poller = p;
    poller.listeners.add(listener);
    return () => {
      poller.listeners.delete(listener);
      if (poller.listeners.size === 0 && this.pollers.get(key) === poller) {
        clearInterval(poller.timer);
        this.pollers.delete(key);
      }
    };
  }

  async waitFor(tenant: string, id: string, timeoutMs: number): Promise<JobRecord> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.get(tenant, id);
      if (isTerminal(job) || Date.now() >= until) return job;
      await new Promise((r) => setTimeout(r, Math.min(200, this.o.pollMs ?? 500)));
    }
  }

  /** Directory holding a finished job's result.json and report/ (ConflictError if not succeeded). */
  async resultDir(tenant: string, id: string): Promise<{ job: JobRecord; dir: string }> {
    return resultDirOf(this.o.dir, await this.get(tenant, id));
  }

  async delete(tenant: string, id: string): Promise<void> {
    await deleteFinishedJob(this.o.store, this.o.dir, await this.get(tenant, id));
  }

  /** A replica runs no job: draining only refuses new submits (503); workers drain their own tasks. */
  async drain(): Promise<{ finished: number; requeued: string[] }> {
    this.draining = true;
    return { finished: 0, requeued: [] };
  }

  /** Nothing to pick up in this process: the sweep re-adds what a dead replica submitted but never queued. */
  async recover(): Promise<{ requeued: string[]; resumed: string[]; failed: string[] }> {
    return { requeued: [], resumed: [], failed: [] };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.draining = true;
    if (this.sweeper) clearInterval(this.sweeper);
    // jobs still waiting for Redis stay queued in the store: any replica's sweep adds them once it is back
    for (const stop of this.pendingAdds.values()) stop.abort();
    for (const p of this.pollers.values()) clearInterval(p.timer);
    this.pollers.clear();
    this.redis.disconnect();
    const all = Promise.allSettled([this.flows.close(), ...[...this.queues.values()].map((q) => q.close())]);
    await withTimeout(all, 2000, 'closing the queues').catch(async () => {
      await Promise.allSettled([this.flows.disconnect(), ...[...this.queues.values()].map((q) => q.disconnect())]);
      this.log('warn', 'queue connections did not close in time; disconnected', {});
    });
  }

  /** Sizes of the in-memory maps (every one bounded: pollers by open streams, suspects by active jobs). */
  memoryStats(): { pollers: number; suspect: number; queues: number; pendingAdds: number } {
    return { pollers: this.pollers.size, suspect: this.suspect.size, queues: this.queues.size, pendingAdds: this.pendingAdds.size };
  }

  // --- internals ------------------------------------------------------------------------------

  private async create(tenant: string, kind: JobKind, input: unknown): Promise<JobRecord> {
    if (this.draining) throw new QueueUnavailableError('the server is shutting down; submit again in a moment');
    const limits = this.o.limitsOf(tenant);
    await checkQuotas(this.o.store, limits, tenant, kind, input);
    // the tenant's running limit counts jobs (a placebo flow of many chunk tasks is one): past it the job waits in the store
    const inQueue = (await this.o.store.activeJobsOf(tenant)).filter((j) => !j.awaitingSlot).length;
    if (inQueue >= limits.runningJobs) {
      const job: JobRecord = { ...newJobRecord(tenant, kind, input), awaitingSlot: true, progress: { fraction: 0, step: `waiting for a running slot (${inQueue} of this tenant's jobs run; limit ${limits.runningJobs})` } };
      await this.o.store.putJob(job);
      this.log('info', 'job submitted; waits for a running slot', { jobId: job.id, tenant, kind, running: inQueue, limit: limits.runningJobs });
      return job;
    }
    const job = newJobRecord(tenant, kind, input);
    await this.o.store.putJob(job);
    try {
      await withTimeout(this.enqueue(job), ADD_TIMEOUT_MS, 'adding the job to the queue');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!CONNECTION_FAILURE.test(message)) {
        // a real failure, not an outage: nothing half-made stays behind, the tenant gets 503
        await this.o.store.deleteJob(tenant, job.id);
        throw new QueueUnavailableError(`the job queue (Redis at ${this.where}) refused the job: ${message}`);
      }
      // Redis restarting or unreachable: the job is accepted (the store has it) and added once Redis is back, as in the one-process modes
      return this.acceptWhileDown(job, message);
    }
    this.log('info', 'job submitted', { jobId: job.id, tenant, kind });
    return job;
  }

  /** Notes on the job that Redis was unreachable and adds it in the background, failing it past unreachableAfterMs. */
  private async acceptWhileDown(job: JobRecord, reason: string, when = 'at submit'): Promise<JobRecord> {
    const bound = this.outage.boundMs;
    const r = await this.o.store.updateJob(job.tenant, job.id, (j) => (isTerminal(j) ? null : withQueueDownNote(j, this.outage, when)));
    this.log('warn', 'job queue unreachable at submit; the job waits for it', { jobId: job.id, tenant: job.tenant, boundMs: bound, error: reason });
    const stop = new AbortController();
    this.pendingAdds.set(job.id, stop);
    void this.addWhenUp(job, bound, stop.signal).finally(() => this.pendingAdds.delete(job.id));
    return r?.job ?? job;
  }

  private async addWhenUp(job: JobRecord, bound: number, stop: AbortSignal): Promise<void> {
    const since = Date.now();
    for (let delay = 200; ; delay = Math.min(2 * delay, 2000)) {
      await sleep(delay, stop);
      if (stop.aborted) return;
      try {
        const current = await this.o.store.getJob(job.tenant, job.id);
        if (!current || isTerminal(current)) return; // cancelled or deleted meanwhile: nothing to add
        await withTimeout(this.enqueue(current), ADD_TIMEOUT_MS, 'adding the job to the queue');
        this.log('info', 'job added after the queue came back', { jobId: job.id, tenant: job.tenant, waitedMs: Date.now() - since });
        return;
      } catch (error) {
        const down = Date.now() - since;
        if (down < bound) continue;
        const at = new Date().toISOString();
        const message = queueStayedDownMessage(this.outage, down, error instanceof Error ? error.message : String(error));
        const r = await this.o.store
          .updateJob(job.tenant, job.id, (j) => (isTerminal(j) ? null : { ...j, state: 'failed', finishedAt: at, error: { message } }))
          .catch((e: unknown) => this.log('error', 'job not failed: the store is unreachable too; the sweep adds it once Redis is back', { jobId: job.id, error: String(e) }));
        if (r?.changed) this.log('warn', 'job failed: the job queue stayed unreachable', { jobId: job.id, tenant: job.tenant, boundMs: bound });
        return;
      }
    }
  }

  private queueOf(tenant: string): Queue {
    let q = this.queues.get(tenant);
    if (!q) {
      q = new Queue(tenantQueue(this.queueName, tenant), { connection: redisConnection(this.o.redisUrl, false), streams: { events: { maxLen: this.retention.eventsMaxLen } } });
      q.on('error', (error) => this.log('warn', 'queue error', { tenant, error: error.message }));
      this.queues.set(tenant, q);
    }
    return q;
  }

  /** Adds the job's tasks (again: every BullMQ id is derived from the job id, so a second add of a present task is a no-op). */
  private async enqueue(job: JobRecord): Promise<void> {
    const q = this.queueOf(job.tenant);
    // registered at every add: a Redis that lost its data learns the tenant and its limit again
    await this.redis.sadd(tenantsKey(this.queueName), job.tenant);
    await q.setGlobalConcurrency(this.o.tenantTasks ?? 4);
    const keep = retentionOptions(this.retention);
    if (job.kind === 'analysis') {
      const task: FlowTask = { kind: 'analysis', tenant: job.tenant, jobId: job.id };
      await q.add('analysis', task, { jobId: job.id, ...keep });
      return;
    }
    const o = PlaceboJobSpec.parse(job.input);
    const chunks = Math.ceil(o.draws / o.chunkSize);
    const merge: FlowTask = { kind: 'placebo-merge', tenant: job.tenant, jobId: job.id, chunks };
    await this.flows.add({
      name: 'placebo-merge',
      queueName: q.name,
      data: merge,
      opts: { jobId: job.id, ...keep },
      children: Array.from({ length: chunks }, (_, k) => ({
        name: 'placebo-chunk',
        queueName: q.name,
        data: { kind: 'placebo-chunk', tenant: job.tenant, jobId: job.id, chunkIndex: k } satisfies FlowTask,
        opts: {
          jobId: chunkTaskId(job.id, k),
          attempts: this.o.chunkAttempts ?? 3,
          backoff: { type: 'fixed', delay: 500 },
          failParentOnFailure: true,
          // a chunk's result is a file; its task leaves Redis as soon as it completes
          removeOnComplete: true,
          removeOnFail: keep.removeOnFail,
        },
      })),
    });
  }

  /** Removes a cancelled job's waiting tasks from Redis (its memory is released now, not by retention). */
  private async removeTasks(job: JobRecord): Promise<void> {
    const q = this.queueOf(job.tenant);
    try {
      const root = await Job.fromId(q, job.id);
      await root?.remove({ removeChildren: true });
      return;
    } catch (error) {
      // a running chunk is locked and keeps the whole flow from being removed: remove the waiting chunks one by one
      if (job.kind !== 'placebo') {
        this.log('info', 'task of a cancelled job is running; it stops on the cancel message', { jobId: job.id, error: String(error) });
        return;
      }
    }
    const o = PlaceboJobSpec.parse(job.input);
    const ids = Array.from({ length: Math.ceil(o.draws / o.chunkSize) }, (_, k) => chunkTaskId(job.id, k));
    let removed = 0;
    try {
      for (let i = 0; i < ids.length; i += 100) removed += (await Promise.all(ids.slice(i, i + 100).map((t) => q.remove(t)))).reduce((a, b) => a + b, 0);
    } catch (error) {
      this.log('warn', 'tasks of a cancelled job not all removed; workers skip them and retention removes them', { jobId: job.id, error: String(error) });
    }
    this.log('info', 'waiting tasks of a cancelled job removed', { jobId: job.id, removed, of: ids.length });
  }

  private notify(job: JobRecord): void {
    const p = this.pollers.get(`${job.tenant}/${job.id}`);
    if (!p) return;
    p.last = JSON.stringify(job);
    for (const l of [...p.listeners]) l(job);
  }

  private async poll(key: string, tenant: string, id: string): Promise<void> {
    const p = this.pollers.get(key);
    if (!p || p.busy) return;
    p.busy = true;
    try {
      const job = await this.o.store.getJob(tenant, id);
      const text = job ? JSON.stringify(job) : '';
      if (job && text !== p.last) {
        p.last = text;
        for (const l of [...p.listeners]) l(job);
      }
    } catch (error) {
      this.log('warn', 'watching a job: store read failed; retrying', { jobId: id, error: String(error) });
    } finally {
      p.busy = false;
    }
  }

  /**
   * The lost-task sweep (every replica runs it; each step is idempotent): an active job whose
   * root task has been missing from Redis for lostAfterMs (Redis restarted without persistence,
   * a replica died between the store write and the add) is added again, requeueLost times, then
   * failed naming the cause; one whose root task failed or completed while the store still says
   * active (a worker died between the two writes) is settled from what Redis and the files say.
   */
  async sweep(): Promise<void> {
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    try {
      const active = await this.o.store.jobsInStates(['queued', 'running']);
      const now = Date.now();
      const lostAfter = this.o.lostAfterMs ?? 15_000;
      const seen = new Set<string>();
      await this.admitWaiting(active);
      for (const job of active) {
        seen.add(job.id);
        if (job.awaitingSlot) continue; // not handed to the queue yet: nothing of it is in Redis
        if (this.pendingAdds.has(job.id)) continue; // accepted while Redis was down: being added here
        const look = await this.look(job);
        if (look.kind === 'present') {
          this.suspect.delete(job.id);
          continue;
        }
        const since = this.suspect.get(job.id) ?? now;
        this.suspect.set(job.id, since);
        if (now - since < lostAfter || now - Date.parse(job.createdAt) < lostAfter) continue;
        if (look.kind === 'missing') await this.requeueLost(job, now - since);
        else await this.settleFinished(job, look);
        this.suspect.delete(job.id);
      }
      for (const id of this.suspect.keys()) if (!seen.has(id)) this.suspect.delete(id);
    } catch (error) {
      // Redis or the store unreachable: nothing is decided this round; the next one tries again
      this.log('warn', 'lost-task sweep skipped', { error: String(error) });
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Hands waiting jobs to the queue, oldest first, while their tenant has fewer than
   * TenantLimits.runningJobs jobs queued in Redis or running. One replica at a time (a Redis lock):
   * it re-reads the store under the lock, so two replicas never fill one slot twice.
   */
  private async admitWaiting(active: readonly JobRecord[]): Promise<void> {
    if (!active.some((j) => j.awaitingSlot)) return;
    const lock = admitLockKey(this.queueName);
    if ((await this.redis.set(lock, this.where, 'PX', 10_000, 'NX')) !== 'OK') return;
    try {
      const fresh = await this.o.store.jobsInStates(['queued', 'running']); // oldest first
      const inQueue = new Map<string, number>();
      for (const j of fresh) if (!j.awaitingSlot) inQueue.set(j.tenant, (inQueue.get(j.tenant) ?? 0) + 1);
      for (const j of fresh) {
        if (!j.awaitingSlot) continue;
        const n = inQueue.get(j.tenant) ?? 0;
        if (n >= this.o.limitsOf(j.tenant).runningJobs) continue;
        const at = new Date().toISOString();
        const r = await this.o.store.updateJob(j.tenant, j.id, (c) => (isTerminal(c) || !c.awaitingSlot ? null : { ...c, awaitingSlot: false, progress: { fraction: 0, step: 'queued' }, notes: [...c.notes, `${at}: a running slot of the tenant freed; handed to the queue`] }));
        if (!r?.changed) continue;
        inQueue.set(j.tenant, n + 1);
        try {
          await withTimeout(this.enqueue(r.job), ADD_TIMEOUT_MS, 'adding the job to the queue');
        } catch (error) {
          // it is admitted in the store: added in the background (or by the lost-task sweep), failed past the bound
          await this.acceptWhileDown(r.job, error instanceof Error ? error.message : String(error), 'when a running slot freed');
        }
      }
    } finally {
      await this.redis.del(lock).catch((error: unknown) => this.log('warn', 'admission lock not released; it lapses in 10 s', { error: String(error) }));
    }
  }

  private async look(job: JobRecord): Promise<{ kind: 'present' } | { kind: 'missing' } | { kind: 'failed'; reason: string } | { kind: 'completed' }> {
    const task = await withTimeout(Job.fromId(this.queueOf(job.tenant), job.id), 2000, 'reading a task');
    if (!task) return { kind: 'missing' };
    const state = await withTimeout(task.getState(), 2000, 'reading a task state');
    if (state === 'unknown') return { kind: 'missing' };
    if (state === 'failed') return { kind: 'failed', reason: task.failedReason };
    if (state === 'completed') return { kind: 'completed' };
    return { kind: 'present' };
  }

  private async requeueLost(job: JobRecord, missingMs: number): Promise<void> {
    const at = new Date().toISOString();
    const lostAfter = this.o.lostAfterMs ?? 15_000;
    const cause = `its tasks vanished from the job queue (Redis at ${this.where} lost its data?)`;
    const r = await this.o.store.updateJob(job.tenant, job.id, (j) => {
      if (isTerminal(j)) return null;
      // another replica has just added it again
      if (j.requeuedAt && Date.now() - Date.parse(j.requeuedAt) < lostAfter) return null;
      const n = j.requeues ?? 0;
      if (n >= (this.o.requeueLost ?? 1)) return { ...j, state: 'failed', finishedAt: at, error: { message: `${cause}; missing for ${missingMs} ms after ${n} re-adds` } };
      return { ...j, requeues: n + 1, requeuedAt: at, notes: [...j.notes, `${at}: ${cause}; added again`] };
    });
    if (!r?.changed) return;
    if (r.job.state === 'failed') {
      this.log('warn', 'job failed: its tasks vanished from Redis', { jobId: job.id, tenant: job.tenant });
      return;
    }
    this.log('warn', 'job tasks vanished from Redis; added again', { jobId: job.id, tenant: job.tenant });
    await this.enqueue(r.job);
  }

  private async settleFinished(job: JobRecord, look: { kind: 'failed'; reason: string } | { kind: 'completed' }): Promise<void> {
    const at = new Date().toISOString();
    const written = existsSync(join(this.o.dir.jobDir(job.tenant, job.id), 'result.json'));
    const r = await this.o.store.updateJob(job.tenant, job.id, (j) => {
      if (isTerminal(j)) return null;
      if (look.kind === 'completed' && written) return { ...j, state: 'succeeded', finishedAt: at, progress: { ...j.progress, fraction: 1, step: 'done' }, notes: [...j.notes, `${at}: settled from the finished task`] };
      const message = look.kind === 'failed' ? redactPaths(taskFailure(look.reason), [this.o.dir.root]) : 'its task completed but wrote no result';
      return { ...j, state: 'failed', finishedAt: at, error: { message } };
    });
    if (r?.changed) this.log('warn', 'job settled by the sweep', { jobId: job.id, tenant: job.tenant, state: r.job.state });
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    this.o.logger?.log(level, message, fields);
  }
}

/** A worker's failure arrives as the JSON of serializeError; BullMQ's own reasons as text. */
function taskFailure(reason: string): string {
  try {
    return String((JSON.parse(reason) as { message?: unknown }).message ?? reason);
  } catch {
    return reason;
  }
}
