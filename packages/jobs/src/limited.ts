/**
 * Runs `work` on every item with at most `limit` at once, in order of the items. The first
 * failure stops new starts, calls `onFailure` at once (e.g. to abort the ones in progress), and is
 * thrown once those have settled (their own errors, e.g. cancellations caused by it, are dropped).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, onFailure?: () => void): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency limit must be a positive integer, got ${limit}`);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        if (!failure) {
          failure = { error };
          onFailure?.();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
