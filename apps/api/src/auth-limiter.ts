/**
 * Failed API-key attempts per source address in a fixed window: past `maxFailures` the address is
 * refused (429) without a store lookup until its window ends. Memory is bounded: at most
 * `maxSources` addresses are remembered (the oldest windows are forgotten first).
 */
export class FailedAuthLimiter {
  /** Source -> failures in its current window and when that window began (insertion order = oldest first). */
  private readonly sources = new Map<string, { failures: number; since: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly maxSources = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the source may try again, or 0 when it may try now. */
  retryAfterMs(source: string): number {
    const entry = this.current(source);
    if (!entry || entry.failures < this.maxFailures) return 0;
    return Math.max(1, entry.since + this.windowMs - this.now());
  }

  /** Counts one failed attempt. */
  fail(source: string): void {
    const entry = this.current(source);
    if (entry) entry.failures++;
    else {
      this.sources.set(source, { failures: 1, since: this.now() });
      this.prune();
    }
  }

  get size(): number {
    return this.sources.size;
  }

  private current(source: string): { failures: number; since: number } | undefined {
    const entry = this.sources.get(source);
    if (entry && this.now() - entry.since >= this.windowMs) {
      this.sources.delete(source);
      return undefined;
    }
    return entry;
  }

  /** Drops the oldest windows until within maxSources (insertion order is window start: expired ones go first). */
  private prune(): void {
    for (const source of this.sources.keys()) {
      if (this.sources.size <= this.maxSources) return;
      this.sources.delete(source);
    }
  }
}
