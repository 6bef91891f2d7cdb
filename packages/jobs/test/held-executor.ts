import { TaskCancelledError, type RunTaskOptions, type Task, type TaskExecutor, type TaskResult } from '../src/index.js';

/** An executor whose tasks run until released or aborted: makes queue states deterministic. */
export class HeldExecutor implements TaskExecutor {
  readonly name = 'held';
  /** Job ids of the tasks started, in order (chunk tasks carry their child job id). */
  readonly started: string[] = [];
  private readonly release = new Map<string, (result: TaskResult) => void>();
  private readonly reject = new Map<string, (error: Error) => void>();

  async checkAvailable(): Promise<void> {}

  run(_task: Task, o: RunTaskOptions): Promise<TaskResult> {
    this.started.push(o.jobId);
    return new Promise((resolve, reject) => {
      this.release.set(o.jobId, resolve);
      this.reject.set(o.jobId, reject);
      if (o.signal?.aborted) reject(new TaskCancelledError());
      o.signal?.addEventListener('abort', () => reject(new TaskCancelledError()), { once: true });
    });
  }

  /** Tasks started and not yet released. */
  get holding(): string[] {
    return [...this.release.keys()];
  }

  /** Finishes a held task with the given result. */
  finish(jobId: string, result: TaskResult = {} as TaskResult): void {
    const done = this.release.get(jobId);
    if (!done) throw new Error(`no held task '${jobId}'`);
    this.release.delete(jobId);
    this.reject.delete(jobId);
    done(result);
  }

  /** Fails a held task with the given error. */
  fail(jobId: string, error: Error): void {
    const failed = this.reject.get(jobId);
    if (!failed) throw new Error(`no held task '${jobId}'`);
    this.release.delete(jobId);
    this.reject.delete(jobId);
    failed(error);
  }

  async close(): Promise<void> {}
}

/** Polls until the condition holds (bounded: fails the test past timeoutMs). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
