import { mkdir } from 'node:fs/promises';
import { DataDir } from './data-dir.js';
import { DatasetService } from './dataset-service.js';
import type { TaskExecutor } from './executor.js';
import { JobService, type JobLogger } from './job-service.js';
import { DuckDbMetaStore } from './meta-store.js';
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
}

/** Everything the API needs, opened on one data directory. */
export interface JobSystem {
  readonly store: MetaStore;
  readonly dir: DataDir;
  readonly datasets: DatasetService;
  readonly jobs: JobService;
  readonly executor: TaskExecutor;
  limitsOf(tenant: string): TenantLimits;
  close(): Promise<void>;
}

/** Opens the store, registers keys, starts the executor and resumes the jobs a previous process left behind. */
export async function openJobSystem(o: JobSystemOptions): Promise<JobSystem> {
  const dir = new DataDir(o.dataDir);
  await mkdir(dir.root, { recursive: true });
  const store = await DuckDbMetaStore.open(dir.metaFile);
  for (const k of o.apiKeys ?? []) await store.putApiKey(k.key, k.tenant, k.label ?? '');
  const limitsOf = (tenant: string): TenantLimits => Object.freeze({ ...DEFAULT_LIMITS, ...o.limits, ...o.tenantLimits?.[tenant] });
  const executor = o.executor ?? new ThreadPoolExecutor({ dataDir: dir.root, size: o.threads ?? 2 });
  const datasets = new DatasetService(store, dir, limitsOf);
  await datasets.init();
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
      await executor.close();
      await store.close();
    },
  };
}
