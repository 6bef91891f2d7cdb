import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseRunSpec } from '@panel-lab/analysis';
import type { PlaceboChunk } from '@panel-lab/resample';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { redisConnection, withTimeout } from './bullmq.js';
import { DataDir } from './data-dir.js';
import { TaskCancelledError } from './errors.js';
import { cancelChannel, chunkTaskId, tenantQueue, tenantsKey, type FlowTask } from './flow-names.js';
import { clampProgress, datasetRef, isInputFault, toJobError } from './intake.js';
import type { JobLogger } from './job-service.js';
import { PlaceboJobSpec } from './placebo-spec.js';
import type { MetaStore } from './store.js';
import { taskRef } from './task-frames.js';
import { serializeError, type DatasetRef, type ResolvedDataset } from './tasks.js';
import { ThreadPoolExecutor } from './thread-pool.js';
import { TERMINAL_STATES, type JobProgress, type JobRecord } from './types.js';

export interface FlowWorkerOptions {
  readonly redisUrl: string;
  readonly queueName?: string;
  /** Data directory shared with the API replicas (datasets in, results and chunk files out). */
  readonly dataDir: string;
  /** The shared job store (PostgreSQL): this worker writes its tasks' job states there. */
  readonly store: MetaStore;
  /** Threads = tasks computing at once in this process (default 2). */
  readonly concurrency?: number;
  /** Lock of a running task; a dead worker's task is taken by another after it lapses (ms, default 30000). */
  readonly lockDurationMs?: number;
  /** How often stalled tasks are looked for (ms, default 30000). */
  readonly stalledIntervalMs?: number;
  /** How often the tenants set is read for new tenant queues (ms, default 1000). */
  readonly discoverMs?: number;
  /** Starts of an analysis job (lost workers included) before it is failed (default 3). */
  readonly maxAttempts?: number;
  readonly logger?: JobLogger;
}

export interface FlowWorker {
  /** Resolves once Redis answered, the first tenant queues are open and every thread is warm. */
  ready(): Promise<void>;
  /** Tenant queues this worker takes tasks from. */
  tenants(): string[];
  /** Stops taking tasks and waits for the running ones; `force` hands them back to the queue at once. */
  close(force?: boolean): Promise<void>;
}

const isTerminal = (j: JobRecord) => TERMINAL_STATES.includes(j.state);

/**
 * The distributed engine's worker: one BullMQ Worker per tenant queue (found through the tenants
 * set), all feeding this process's thread pool, which serves waiting tasks tenant by tenant. Each
 * task reads its job from the store, skips it when the job has finished (cancelled, failed
 * elsewhere), runs, and writes the job's state back (guarded: a finished job is never revived).
 * Chunk results are files (chunks/<k>.json), never task payloads; a chunk whose file exists is
 * not computed again. Cancels arrive on a pub/sub channel and abort the running task.
 */
export function startFlowWorker(o: FlowWorkerOptions): FlowWorker {
  const queueName = o.queueName ?? 'panel-lab';
  const dir = new DataDir(o.dataDir);
  const concurrency = o.concurrency ?? 2;
  const pool = new ThreadPoolExecutor({ dataDir: dir.root, size: concurrency });
  const workers = new Map<string, Worker>();
  /** Job id -> controllers of its tasks running here (a cancel message aborts them). */
  const running = new Map<string, Set<AbortController>>();
  /** BullMQ task -> its lock token (a forced close hands the task back). */
  const active = new Map<string, { job: Job; token: string | undefined }>();
  let handingBack = false;
  let closing = false;
  const log = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => o.logger?.log(level, message, fields);

  const commands = new Redis({ ...redisConnection(o.redisUrl, true), lazyConnect: true });
  // every connection has an 'error' listener (one without kills the process), logged at most every 10 s per connection
  const reporter = (connection: string) => {
    let last = 0;
    return (error: Error) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      log('warn', 'Redis connection error', { connection, error: error.message });
    };
  };
  commands.on('error', reporter('commands'));
  const subscriber = new Redis({ ...redisConnection(o.redisUrl, true), lazyConnect: true });
  subscriber.on('error', reporter('cancel subscriber'));
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      const { jobId } = JSON.parse(message) as { jobId: string };
      for (const c of running.get(jobId) ?? []) c.abort(new TaskCancelledError());
    } catch (error) {
      log('warn', 'unreadable cancel message', { message, error: String(error) });
    }
  });

  const processTask = async (job: Job<FlowTask>, token?: string, signal?: AbortSignal): Promise<unknown> => {
    const t = job.data;
    const controller = new AbortController();
    const taskSignal = signal ? AbortSignal.any([controller.signal, signal]) : controller.signal;
    const mine = running.get(t.jobId) ?? new Set();
    mine.add(controller);
    running.set(t.jobId, mine);
    active.set(job.id ?? '', { job, token });
    log('info', 'task started', { taskId: job.id, type: t.kind, jobId: t.jobId, tenant: t.tenant, attempt: job.attemptsMade + 1 });
    try {
      const out = await runTask(job, taskSignal);
      log('info', 'task done', { taskId: job.id, type: t.kind, jobId: t.jobId });
      return out;
    } catch (error) {
      if (handingBack) throw new Error('handed back to the queue at shutdown');
      throw error;
    } finally {
      mine.delete(controller);
      if (mine.size === 0) running.delete(t.jobId);
      active.delete(job.id ?? '');
    }
  };

  const runTask = (job: Job<FlowTask>, signal: AbortSignal): Promise<unknown> => {
    const t = job.data;
    if (t.kind === 'analysis') return runAnalysis(job, t, signal);
    if (t.kind === 'placebo-chunk') return runChunk(job, t, signal);
    return runMerge(t, signal);
  };

  /** Marks a task's failure on its job (once: the store keeps the first final state) and makes BullMQ not retry it. */
  const failJob = async (tenant: string, jobId: string, error: unknown, prefix = ''): Promise<never> => {
    const at = new Date().toISOString();
    const e = toJobError(error, dir.root);
    await o.store.updateJob(tenant, jobId, (j) => (isTerminal(j) ? null : { ...j, state: 'failed', finishedAt: at, error: { ...e, message: prefix + e.message } }));
    log('warn', 'job failed', { jobId, tenant, error: e.message });
    throw new UnrecoverableError(JSON.stringify(serializeError(error)));
  };

  const cancelled = (signal: AbortSignal, error: unknown) => error instanceof TaskCancelledError || (signal.aborted && signal.reason instanceof TaskCancelledError);

  /** Throttled progress writes of a running job (a late one never lowers the fraction or revives a finished job). */
  const progressWriter = (tenant: string, jobId: string, map: (p: JobProgress) => JobProgress) => {
    let last = 0;
    return (p: JobProgress) => {
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      const next = clampProgress(map(p));
      void o.store
        .updateJob(tenant, jobId, (j) => (j.state === 'running' && next.fraction >= j.progress.fraction ? { ...j, progress: next } : null))
        .catch((error: unknown) => log('warn', 'progress not written', { jobId, error: String(error) }));
    };
  };

  const outDirOf = (tenant: string, jobId: string) => relative(dir.root, dir.jobDir(tenant, jobId)).split(sep).join('/');

  async function runAnalysis(job: Job<FlowTask>, t: Extract<FlowTask, { kind: 'analysis' }>, signal: AbortSignal): Promise<unknown> {
    const at = new Date().toISOString();
    const start = await o.store.updateJob(t.tenant, t.jobId, (j) =>
      isTerminal(j) ? null : { ...j, state: 'running', startedAt: j.startedAt ?? at, attempts: j.attempts + 1, progress: { fraction: 0, step: 'started' } },
    );
    if (!start?.changed) return { skipped: start ? `job ${start.job.state}` : 'job deleted' };
    const rec = start.job;
    if (rec.attempts > (o.maxAttempts ?? 3)) return failJob(t.tenant, t.jobId, new Error(`started ${rec.attempts} times (its workers were lost); not run again`));
    try {
      const spec = parseRunSpec(rec.input);
      const datasets: Record<string, DatasetRef> = {};
      if (spec.dataset.source === 'dataset') datasets[spec.dataset.id] = await taskRef(dir.root, await datasetRef(o.store, t.tenant, spec.dataset.id, 'dataset.id'));
      await mkdir(dir.jobDir(t.tenant, t.jobId), { recursive: true });
      const onProgress = progressWriter(t.tenant, t.jobId, (p) => ({ ...p, fraction: p.step === 'writing report' ? p.fraction : 0.95 * p.fraction }));
      const out = await pool.run({ type: 'analysis', spec, datasets, outDir: outDirOf(t.tenant, t.jobId) }, { jobId: t.jobId, tenant: t.tenant, onProgress, signal });
      const failures = out.kind === 'analysis_written' ? (out.failures ?? []) : [];
      const notes = failures.map((f) => `failed: ${f.where}: ${f.message}`);
      if (failures.length > 0 && failures.length === spec.analyses.length) throw new Error(`every analysis failed: ${notes.join('; ')}`);
      const step = failures.length ? `done; ${failures.length} analysis(es) failed` : 'done';
      const done = new Date().toISOString();
      await o.store.updateJob(t.tenant, t.jobId, (j) => (isTerminal(j) ? null : { ...j, state: 'succeeded', finishedAt: done, notes: [...j.notes, ...notes], progress: { ...j.progress, fraction: 1, step } }));
      return { ok: true, attempt: job.attemptsMade + 1 };
    } catch (error) {
      if (handingBack) throw error;
      if (cancelled(signal, error)) throw new UnrecoverableError('cancelled');
      return failJob(t.tenant, t.jobId, error);
    }
  }

  async function placeboContext(tenant: string, rec: JobRecord): Promise<{ options: PlaceboJobSpec; dataset: ResolvedDataset }> {
    const options = PlaceboJobSpec.parse(rec.input);
    const dataset: ResolvedDataset = options.dataset.source === 'dataset' ? { source: 'dataset', ref: await taskRef(dir.root, await datasetRef(o.store, tenant, options.dataset.id, 'dataset.id')) } : options.dataset;
    return { options, dataset };
  }

  async function runChunk(job: Job<FlowTask>, t: Extract<FlowTask, { kind: 'placebo-chunk' }>, signal: AbortSignal): Promise<unknown> {
    const at = new Date().toISOString();
    // the first chunk to start marks the job running (attempts counts starts of the job, not of chunks)
    const start = await o.store.updateJob(t.tenant, t.jobId, (j) => (j.state === 'queued' ? { ...j, state: 'running', startedAt: j.startedAt ?? at, attempts: j.attempts + 1, progress: { fraction: 0, step: 'placebo draws' } } : null));
    if (!start || isTerminal(start.job)) return { skipped: start ? `job ${start.job.state}` : 'job deleted' };
    const parent = start.job;
    const k = t.chunkIndex;
    const attempt = job.attemptsMade + 1;
    const childId = chunkTaskId(t.jobId, k);
    const child: JobRecord = { ...parent, id: childId, kind: 'placebo-chunk', parentId: t.jobId, state: 'running', startedAt: at, finishedAt: null, attempts: attempt, input: { chunkIndex: k }, notes: [], progress: { fraction: 0, step: `chunk ${k}` }, error: null, requeues: 0 };
    const chunkDir = join(dir.jobDir(t.tenant, t.jobId), 'chunks');
    try {
      const { options, dataset } = await placeboContext(t.tenant, parent);
      const size = Math.min(options.chunkSize, options.draws - k * options.chunkSize);
      await o.store.putJob(child);
      await mkdir(chunkDir, { recursive: true });
      const file = join(chunkDir, `${k}.json`);
      // a chunk already on disk (a task run again after lost data or a lost worker) is not computed twice
      if (!existsSync(file)) {
        const chunk = (await pool.run({ type: 'placebo-chunk', dataset, options, chunkIndex: k }, { jobId: childId, tenant: t.tenant, signal })) as PlaceboChunk;
        const tmp = `${file}.${job.id}.${attempt}.tmp`;
        await writeFile(tmp, JSON.stringify(chunk));
        await rename(tmp, file);
      }
      await o.store.putJob({ ...child, state: 'succeeded', finishedAt: new Date().toISOString(), progress: { fraction: 1, step: 'done', done: size, total: size } });
      await reportDraws(t.tenant, t.jobId, chunkDir, options);
      return { draws: size };
    } catch (error) {
      if (handingBack) throw error;
      const isCancel = cancelled(signal, error);
      const final = isCancel || error instanceof UnrecoverableError || isInputFault(error) || attempt >= (job.opts.attempts ?? 1);
      const finishedAt = new Date().toISOString();
      await o.store.putJob({ ...child, state: isCancel ? 'cancelled' : final ? 'failed' : 'queued', finishedAt: final ? finishedAt : null, error: toJobError(error, dir.root) });
      if (isCancel) throw new UnrecoverableError('cancelled');
      if (!final) {
        log('warn', 'chunk failed; retrying', { jobId: t.jobId, chunk: k, attempt, error: String(error instanceof Error ? error.message : error) });
        throw error;
      }
      return failJob(t.tenant, t.jobId, error, `chunk ${k} failed after ${attempt} tries: `);
    }
  }

  /** The job's draws done = the chunk files on disk (idempotent whatever order or repetition the chunks ran in). */
  async function reportDraws(tenant: string, jobId: string, chunkDir: string, options: PlaceboJobSpec): Promise<void> {
    let done = 0;
    for (const name of await readdir(chunkDir)) {
      const k = Number(/^(\d+)\.json$/.exec(name)?.[1] ?? Number.NaN);
      if (Number.isInteger(k)) done += Math.max(0, Math.min(options.chunkSize, options.draws - k * options.chunkSize));
    }
    await o.store.updateJob(tenant, jobId, (j) =>
      j.state === 'running' && (j.progress.done ?? 0) < done ? { ...j, progress: { fraction: 0.95 * (done / options.draws), step: 'placebo draws', done, total: options.draws } } : null,
    );
  }

  async function runMerge(t: Extract<FlowTask, { kind: 'placebo-merge' }>, signal: AbortSignal): Promise<unknown> {
    const rec = await o.store.getJob(t.tenant, t.jobId);
    if (!rec || isTerminal(rec)) return { skipped: rec ? `job ${rec.state}` : 'job deleted' };
    try {
      const { options, dataset } = await placeboContext(t.tenant, rec);
      await o.store.updateJob(t.tenant, t.jobId, (j) => (j.state === 'running' ? { ...j, progress: { fraction: 0.96, step: 'merging chunks', done: options.draws, total: options.draws } } : null));
      await pool.run({ type: 'placebo-merge', dataset, options, outDir: outDirOf(t.tenant, t.jobId), chunks: t.chunks }, { jobId: t.jobId, tenant: t.tenant, signal });
      const at = new Date().toISOString();
      await o.store.updateJob(t.tenant, t.jobId, (j) => (isTerminal(j) ? null : { ...j, state: 'succeeded', finishedAt: at, progress: { ...j.progress, fraction: 1, step: 'done' } }));
      return { ok: true };
    } catch (error) {
      if (handingBack) throw error;
      if (cancelled(signal, error)) throw new UnrecoverableError('cancelled');
      return failJob(t.tenant, t.jobId, error);
    }
  }

  const openTenant = (tenant: string) => {
    if (workers.has(tenant) || closing || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(tenant)) return;
    const w = new Worker(tenantQueue(queueName, tenant), processTask, {
      connection: redisConnection(o.redisUrl, true),
      // each tenant's Worker may take as many tasks as there are threads; the pool serves tenants in turn
      concurrency,
      lockDuration: o.lockDurationMs ?? 30_000,
      stalledInterval: o.stalledIntervalMs ?? 30_000,
      maxStalledCount: 3,
    });
    w.on('error', (error) => log('error', 'queue worker error', { tenant, error: error.message }));
    workers.set(tenant, w);
    log('info', 'tenant queue opened', { tenant });
  };

  const discover = async () => {
    try {
      if (commands.status === 'wait' || commands.status === 'end') await commands.connect();
      for (const tenant of await withTimeout(commands.smembers(tenantsKey(queueName)), 5000, 'reading the tenants set')) openTenant(tenant);
    } catch (error) {
      log('warn', 'tenant discovery failed; retrying', { error: String(error) });
    }
  };
  const discovery = setInterval(() => void discover(), o.discoverMs ?? 1000);

  return {
    async ready() {
      await pool.ready();
      await subscriber.connect();
      await subscriber.subscribe(cancelChannel(queueName));
      await discover();
      await Promise.all([...workers.values()].map((w) => w.waitUntilReady()));
    },
    tenants: () => [...workers.keys()],
    async close(force = false) {
      closing = true;
      clearInterval(discovery);
      if (force) {
        // put the running tasks back in their queues at once (another worker takes them now, not after the lock lapses)
        handingBack = true;
        for (const [taskId, { job, token }] of active) {
          await job.moveToWait(token).then(
            () => log('info', 'task handed back to the queue', { taskId }),
            (error: unknown) => log('warn', 'could not hand a task back; it is retried once its lock lapses', { taskId, error: String(error) }),
          );
        }
        await pool.close();
        await withTimeout(Promise.allSettled([...workers.values()].map((w) => w.close(true))), 1000, 'closing the workers').catch((error: unknown) =>
          log('warn', 'queue workers did not close in time; exiting anyway', { error: String(error) }),
        );
      } else {
        await Promise.all([...workers.values()].map((w) => w.close()));
        await pool.close();
      }
      subscriber.disconnect();
      commands.disconnect();
    },
  };
}
