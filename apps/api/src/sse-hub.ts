import type { Response } from 'express';

/**
 * The open server-sent event streams. At shutdown each gets a `shutdown` event carrying a retry
 * hint (the SSE `retry:` field and the same value in its data) and is ended, so no client holds
 * the process open and every client knows when to reconnect (to this or another replica).
 */
export class SseHub {
  private readonly streams = new Map<Response, () => void>();

  /** Registers a stream; `end` is its own cleanup (timers, subscriptions). Returns the unregister function. */
  add(res: Response, end: () => void): () => void {
    this.streams.set(res, end);
    return () => this.streams.delete(res);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Sends every open stream the shutdown event and ends it; returns how many there were. */
  closeAll(retryMs: number): number {
    const n = this.streams.size;
    for (const [res, end] of [...this.streams]) {
      this.streams.delete(res);
      if (!res.writableEnded) res.write(`retry: ${retryMs}\nevent: shutdown\ndata: ${JSON.stringify({ reason: 'the server is shutting down', retryMs })}\n\n`);
      end();
    }
    return n;
  }
}
