import { createHash } from 'node:crypto';
import type { DatasetRecord, JobRecord, JobState } from './types.js';

/** SHA-256 of an API key: only the hash is stored (a leaked database reveals no key). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What an update did: the record as stored afterwards, and whether the mutation changed it. */
export interface JobUpdate {
  readonly job: JobRecord;
  readonly changed: boolean;
}

/**
 * Metadata of tenants' keys, datasets and jobs. Two implementations share this contract (and one
 * test suite, test/store-contract.ts): DuckDbMetaStore, an embedded file for one process (the
 * default), and PostgresMetaStore for many API replicas and workers writing at once.
 *
 * Guards every implementation keeps: a top-level job in a terminal state (succeeded, failed,
 * cancelled) is never overwritten by putJob (a late writer cannot revive it); updateJob runs its
 * mutation on the current record under a row lock (or the single writer's queue), so concurrent
 * read-modify-write cycles from different processes never lose one another's changes.
 */
export interface MetaStore {
  /** 'duckdb' or 'postgres' (logs, readiness). */
  readonly kind: string;
  putApiKey(key: string, tenant: string, label?: string): Promise<void>;
  /** The tenant of a key seen before, from memory only (no database round trip); undefined when not cached. */
  cachedTenantOfKey(key: string): string | undefined;
  /** The tenant a key belongs to, or null for an unknown key. */
  tenantOfKey(key: string): Promise<string | null>;

  putDataset(d: DatasetRecord): Promise<void>;
  /** The dataset if it belongs to the tenant (another tenant's dataset is indistinguishable from none). */
  getDataset(tenant: string, id: string): Promise<DatasetRecord | null>;
  listDatasets(tenant: string): Promise<DatasetRecord[]>;
  countDatasets(tenant: string): Promise<number>;
  deleteDataset(tenant: string, id: string): Promise<void>;

  /** Inserts or replaces a job; false (nothing written) when it is a top-level job already finished. */
  putJob(j: JobRecord): Promise<boolean>;
  getJob(tenant: string, id: string): Promise<JobRecord | null>;
  /**
   * Read-modify-write of one job, atomic against every other writer: `mutate` gets the current
   * record and returns the new one, or null to leave it. Null when there is no such job.
   */
  updateJob(tenant: string, id: string, mutate: (current: JobRecord) => JobRecord | null): Promise<JobUpdate | null>;
  /** A tenant's top-level jobs (chunk children are listed under their parent), oldest first. */
  listJobs(tenant: string): Promise<JobRecord[]>;
  childJobs(parentId: string): Promise<JobRecord[]>;
  /** Top-level jobs of any tenant in the given states, oldest first (recovery, the lost-task sweep). */
  jobsInStates(states: readonly JobState[]): Promise<JobRecord[]>;
  /** A tenant's top-level jobs queued or running (quotas at submit count them and their draws). */
  activeJobsOf(tenant: string): Promise<JobRecord[]>;
  /** Deletes a job and its children. */
  deleteJob(tenant: string, id: string): Promise<void>;
  /** Waits for statements under way, then closes (later calls fail with 'metadata store is closed'). */
  close(): Promise<void>;
}

/** Key hash -> tenant: every request checks its key; unknown keys are not cached (a flood of random keys must not grow the map). */
export class KeyCache {
  private readonly map = new Map<string, string>();
  get(key: string): string | undefined {
    return this.map.get(hashApiKey(key));
  }
  set(key: string, tenant: string): void {
    this.map.set(hashApiKey(key), tenant);
  }
  forget(key: string): void {
    this.map.delete(hashApiKey(key));
  }
}

export const TERMINAL_SQL = `('succeeded', 'failed', 'cancelled')`;
