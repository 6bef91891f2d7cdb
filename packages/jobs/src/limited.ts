/**
 * Runs `work` on every item with at most `limit` at once, in order of the items. The first
 * failure stops new starts and calls `onFailure` at once (e.g. to abort the ones in progress);
 * once those have settled, every failure is reported: a single one is thrown as it is, several as
 * an AggregateError (first failure first, also its `cause`) whose message names each of them.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, onFailure?: () => void): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency limit must be a positive integer, got ${limit}`);
  let next = 0;
  const failures: unknown[] = [];
  const lane = async (): Promise<void> => {
    while (failures.length === 0 && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        if (failures.push(error) === 1) onFailure?.();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const first = failures[0];
    throw new AggregateError(failures, `${failures.length} of ${items.length} items failed: ${failures.map(describe).join('; ')}`, { cause: first });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
