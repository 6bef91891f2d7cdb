import { mkdir } from 'node:fs/promises';
import { DataDir } from './data-dir.js';
import { DatasetService } from './dataset-service.js';
import type { TaskExecutor } from './executor.js';
import { FlowJobs, type FlowJobsOptions } from './flow-jobs.js';
import { JobService, type JobLogger } from './job-service.js';
import type { ExecutorStatus, Jobs } from './jobs.js';
import { DuckDbMetaStore } from './meta-store.js';
import { PostgresMetaStore } from './postgres-store.js';
import type { MetaStore } from './store.js';
import { ThreadPoolExecutor } from './thread-pool.js';
import { DEFAULT_LIMITS, type TenantLimits } from './types.js';

export interface JobSystemOptions {
  /** Where datasets, results and the metadata database live. */
  readonly dataDir: string;
  /** API keys to register (key -> tenant); only their hashes are stored. */
  readonly apiKeys?: readonly { key: string; tenant: string; label?: string }[];
  readonly limits?: Partial<TenantLimits>;
  readonly tenantLimits?: Readonly<Record<string, Partial<TenantLimits>>>;
  /** The executor; default an in-process thread pool of `threads` threads. */
  readonly executor?: TaskExecutor;
  readonly threads?: number;
  readonly maxRunning?: number;
  /** Chunk tasks of one placebo job in flight at once (default 2). */
  readonly chunkConcurrency?: number;
  readonly maxAttempts?: number;
  readonly logger?: JobLogger;
  /** postgres://... : the job store is PostgreSQL (many writers) instead of the embedded DuckDB file. */
  readonly storeUrl?: string;
  /** With a PostgreSQL store: the distributed engine (BullMQ schedules, workers write the store; FlowJobs). */
  readonly distributed?: Omit<FlowJobsOptions, 'store' | 'dir' | 'limitsOf' | 'logger'>;
}

/** Everything the API needs, opened on one data directory. */
export interface JobSystem {
  readonly store: MetaStore;
  readonly dir: DataDir;
  readonly datasets: DatasetService;
  readonly jobs: Jobs;
  readonly executor: ExecutorStatus;
  limitsOf(tenant: string): TenantLimits;
  close(): Promise<void>;
}

/** Opens the store, registers keys, starts the executor and resumes the jobs a previous process left behind. */
export async function openJobSystem(o: JobSystemOptions): Promise<JobSystem> {
  const dir = new DataDir(o.dataDir);
  await mkdir(dir.root, { recursive: true });
  if (o.distributed && !o.storeUrl) throw new Error('the distributed engine needs a shared job store: set a PostgreSQL URL (PANEL_LAB_DATABASE_URL)');
  const store: MetaStore = o.storeUrl
    ? await PostgresMetaStore.open({ url: o.storeUrl, onError: (error) => o.logger?.log('warn', 'job store connection error', { error: error.message }) })
    : await DuckDbMetaStore.open(dir.metaFile);
  for (const k of o.apiKeys ?? []) await store.putApiKey(k.key, k.tenant, k.label ?? '');
  const limitsOf = (tenant: string): TenantLimits => Object.freeze({ ...DEFAULT_LIMITS, ...o.limits, ...o.tenantLimits?.[tenant] });
  const datasets = new DatasetService(store, dir, limitsOf);
  await datasets.init();
  if (o.distributed) {
    const flows = new FlowJobs({ ...o.distributed, store, dir, limitsOf, ...(o.logger ? { logger: o.logger } : {}) });
    return system(store, dir, datasets, flows, flows, limitsOf);
  }
  const executor = o.executor ?? new ThreadPoolExecutor({ dataDir: dir.root, size: o.threads ?? 2 });
  const jobs = new JobService({
    store,
    dir,
    executor,
    limitsOf,
    ...(o.maxRunning !== undefined ? { maxRunning: o.maxRunning } : {}),
    ...(o.chunkConcurrency !== undefined ? { chunkConcurrency: o.chunkConcurrency } : {}),
    ...(o.maxAttempts !== undefined ? { maxAttempts: o.maxAttempts } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
  });
  await jobs.recover();
  return system(store, dir, datasets, jobs, executor, limitsOf);
}

function system(store: MetaStore, dir: DataDir, datasets: DatasetService, jobs: Jobs, executor: ExecutorStatus, limitsOf: (tenant: string) => TenantLimits): JobSystem {
  let closed = false;
  return {
    store,
    dir,
    datasets,
    jobs,
    executor,
    limitsOf,
    async close() {
      if (closed) return;
      closed = true;
      await jobs.close();
      // FlowJobs is both: closed once
      if ((executor as unknown) !== jobs) await executor.close();
      await store.close();
    },
  };
}
