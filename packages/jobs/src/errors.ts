/** Errors the job layer raises; the API maps each class to one HTTP status. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A per-tenant limit was reached (jobs, datasets) -> 429. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** The request conflicts with the job's state (e.g. results of a job that has not finished) -> 409. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * The queue backend (Redis) cannot be reached or refused a job -> 503 at submit (only where the
 * executor does not wait outages out; queue-outage.ts); a job's error past PANEL_LAB_QUEUE_DOWN_MS.
 */
export class QueueUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

/** Bad input that names the field at fault -> 422. */
export class InputError extends Error {
  readonly issues: readonly { path: string; message: string }[];
  constructor(message: string, issues: readonly { path: string; message: string }[] = []) {
    super(message);
    this.name = 'InputError';
    this.issues = issues;
  }
}

export class TaskCancelledError extends Error {
  constructor(message = 'job cancelled') {
    super(message);
    this.name = 'TaskCancelledError';
  }
}

/** An upload over the tenant's size limit -> 413. */
export class TooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TooLargeError';
  }
}

/** A queued task vanished (e.g. Redis restarted without persistence) or the queue stayed unreachable: the task is failed explicitly. */
export class TaskLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskLostError';
  }
}
