import type { TaskExecutor } from './executor.js';
import type { JobRecord } from './types.js';

/**
 * What the API asks of a job engine. Two engines: JobService (one process schedules, runs through
 * an executor, keeps its queue in memory) and FlowJobs (BullMQ schedules; API replicas hold nothing
 * about a job in memory: the store and Redis have it all).
 */
export interface Jobs {
  submitAnalysis(tenant: string, input: unknown): Promise<JobRecord>;
  submitPlacebo(tenant: string, input: unknown): Promise<JobRecord>;
  get(tenant: string, id: string): Promise<JobRecord>;
  list(tenant: string): Promise<JobRecord[]>;
  children(tenant: string, id: string): Promise<JobRecord[]>;
  /** Cancels a queued or running job (ConflictError once it has finished). */
  cancel(tenant: string, id: string): Promise<JobRecord>;
  /** Calls `listener` with each new state of the job (whichever process changed it); returns the unsubscribe function. */
  watch(tenant: string, id: string, listener: (job: JobRecord) => void): () => void;
  /** Resolves with the job once it is finished, or at the timeout with its state then. */
  waitFor(tenant: string, id: string, timeoutMs: number): Promise<JobRecord>;
  resultDir(tenant: string, id: string): Promise<{ job: JobRecord; dir: string }>;
  delete(tenant: string, id: string): Promise<void>;
  /** Graceful stop: accepts nothing more; work this process runs finishes or is requeued within the timeout. */
  drain(timeoutMs: number): Promise<{ finished: number; requeued: string[] }>;
  /** Picks up what a previous process left behind. */
  recover(): Promise<{ requeued: string[]; resumed: string[]; failed: string[] }>;
  close(): Promise<void>;
}

/** What the API needs of the place tasks run: its name and whether it accepts work (readiness, 503). */
export type ExecutorStatus = Pick<TaskExecutor, 'name' | 'checkAvailable' | 'close'>;
