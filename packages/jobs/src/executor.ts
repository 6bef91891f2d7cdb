import type { QueueOutagePolicy } from './queue-outage.js';
import type { Task, TaskResult } from './tasks.js';
import type { JobProgress } from './types.js';

export interface RunTaskOptions {
  /** Job the task belongs to (for logs and queue ids). */
  readonly jobId: string;
  /** Tenant the task runs for: executors that queue tasks serve tenants in turn. */
  readonly tenant?: string;
  readonly onProgress?: (p: JobProgress) => void;
  readonly signal?: AbortSignal;
}

/** Where tasks run: worker threads in this process, or queue workers anywhere (BullMQ). */
export interface TaskExecutor {
  readonly name: string;
  /** Throws QueueUnavailableError when no task can be accepted now (e.g. Redis is down). */
  checkAvailable(): Promise<void>;
  /**
   * Set by an executor whose run() waits out an unreachable queue (up to boundMs): a submit while
   * checkAvailable fails is then accepted with a note instead of refused (queue-outage.ts).
   */
  readonly queueOutage?: QueueOutagePolicy;
  run(task: Task, options: RunTaskOptions): Promise<TaskResult>;
  close(): Promise<void>;
}

/** Rebuilds an error sent as data by a thread or queue worker (keeps spec-error field paths). */
export function reviveError(data: { name?: string; message?: string; issues?: { path: string; message: string }[] }): Error {
  const error = new Error(data.message ?? 'task failed') as Error & { issues?: unknown };
  error.name = data.name ?? 'Error';
  if (data.issues) error.issues = data.issues;
  return error;
}
