import type { Server } from 'node:http';
import type { JobSystem } from '@panel-lab/jobs';
import type { JsonLogger } from './logger.js';
import type { SseHub } from './sse-hub.js';

export interface DrainState {
  /** Set once the drain starts: new requests get 503 (the middleware in server.ts). */
  draining: boolean;
}

export interface DrainOptions {
  readonly httpServer: Server;
  readonly hub: SseHub;
  readonly system: JobSystem;
  readonly logger: JsonLogger;
  readonly state: DrainState;
  /** Everything is over within this time: running jobs past it are requeued, connections past it cut. */
  readonly graceMs: number;
  /** The reconnect hint sent to SSE clients. */
  readonly sseRetryMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** How long before the deadline running jobs are aborted: their threads get a cancel grace (2 s) to stop. */
const ABORT_MARGIN_MS = 2500;

/**
 * Graceful stop of the HTTP side and the jobs, bounded by graceMs: stop accepting connections,
 * answer 503 to requests on open ones, end SSE streams with a retry hint, let running jobs finish
 * (those still running near the deadline go back to 'queued'), then cut what is still open.
 */
export async function drainApi(o: DrainOptions): Promise<void> {
  const t0 = Date.now();
  const deadline = t0 + o.graceMs;
  o.state.draining = true;
  const closed = new Promise<void>((resolve) => o.httpServer.close(() => resolve()));
  const streams = o.hub.closeAll(o.sseRetryMs);
  o.httpServer.closeIdleConnections();
  o.logger.write('info', 'draining', { graceMs: o.graceMs, sseStreams: streams });
  const jobs = await o.system.jobs.drain(Math.max(0, deadline - Date.now() - ABORT_MARGIN_MS));
  await Promise.race([closed, sleep(Math.max(0, deadline - Date.now()))]);
  // a connection still open at the deadline (a slow download, a client ignoring Connection: close) is cut
  o.httpServer.closeAllConnections();
  await closed;
  o.logger.write('info', 'drained', { ms: Date.now() - t0, jobsFinished: jobs.finished, jobsRequeued: jobs.requeued });
}
