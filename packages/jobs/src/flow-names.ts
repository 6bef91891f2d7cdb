import type { JobsOptions } from 'bullmq';
import type { QueueRetention } from './bullmq-executor.js';

/**
 * Names and payloads of the distributed engine, shared by API replicas (producers) and workers.
 *
 * Every tenant has its own BullMQ queue `<queue>-t-<tenant>`; its global concurrency (kept in
 * Redis, so it holds over every worker process) is the tenant's task limit. The set
 * `<queue>:tenants` lists the tenant queues for workers to discover; `<queue>:cancel` is the
 * pub/sub channel on which a cancel reaches the worker running a task of that job.
 *
 * Task payloads carry ids only: the job's input stays in the store, results go to files.
 */
export type FlowTask =
  | { readonly kind: 'analysis'; readonly tenant: string; readonly jobId: string }
  | { readonly kind: 'placebo-chunk'; readonly tenant: string; readonly jobId: string; readonly chunkIndex: number }
  | { readonly kind: 'placebo-merge'; readonly tenant: string; readonly jobId: string; readonly chunks: number };

export const tenantQueue = (queue: string, tenant: string): string => `${queue}-t-${tenant}`;
export const tenantsKey = (queue: string): string => `${queue}:tenants`;
export const cancelChannel = (queue: string): string => `${queue}:cancel`;
/** Held by the replica handing waiting jobs to the queue (one at a time: the count and the hand-over are not one transaction). */
export const admitLockKey = (queue: string): string => `${queue}:admit-lock`;
/** BullMQ job ids: the root task is the job's own id, so adding it again (a sweep after lost data, two replicas) is a no-op. */
export const chunkTaskId = (jobId: string, k: number): string => `${jobId}-c${String(k).padStart(5, '0')}`;

export function retentionOptions(r: QueueRetention): Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> {
  return { removeOnComplete: { age: r.completedAgeS, count: r.completedCount }, removeOnFail: { age: r.failedAgeS, count: r.failedCount } };
}
