import type { JobRecord } from './types.js';

/**
 * One contract for a job queue (Redis) that is unreachable, in every mode that uses one: a job
 * submitted meanwhile is accepted with a note saying so and handed over once the queue is back;
 * past the bound (PANEL_LAB_QUEUE_DOWN_MS) it fails naming it. The distributed engine (FlowJobs)
 * adds the job in the background; the one-process Redis mode (JobService over BullMqExecutor)
 * queues it as usual, and the executor's hand-over waits for Redis up to the same bound.
 */
export interface QueueOutagePolicy {
  /** host:port of the queue's Redis (for messages). */
  readonly where: string;
  /** How long a hand-over waits for an unreachable queue before the job fails (ms). */
  readonly boundMs: number;
}

/** The job with a note that the queue was unreachable `when` (at submit, when a slot freed) and what happens next. */
export function withQueueDownNote(job: JobRecord, o: QueueOutagePolicy, when: string, at = new Date().toISOString()): JobRecord {
  const note = `${at}: the job queue (Redis at ${o.where}) was unreachable ${when}; the job is added once it is back (failed after ${o.boundMs} ms, PANEL_LAB_QUEUE_DOWN_MS)`;
  return { ...job, notes: [...job.notes, note] };
}

/** The error of a job whose queue stayed unreachable past the bound. */
export function queueStayedDownMessage(o: QueueOutagePolicy, downMs: number, cause: string): string {
  return `the job queue (Redis at ${o.where}) stayed unreachable for ${downMs} ms (bound ${o.boundMs} ms, PANEL_LAB_QUEUE_DOWN_MS): ${cause}; submit it again`;
}
