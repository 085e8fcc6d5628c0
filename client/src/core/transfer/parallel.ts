/**
 * Runs a worker over items with bounded concurrency. After the first failure no new work starts;
 * work already running is allowed to finish (so nothing touches a file handle or the state after
 * the caller moved on), then the first failure is thrown.
 */
import pLimit from 'p-limit';

export async function forEachLimited<T>(items: Iterable<T>, concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  const limit = pLimit(concurrency);
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from(items, (item) =>
      limit(async () => {
        if (failure) return;
        try {
          await worker(item);
        } catch (error) {
          failure ??= { error };
        }
      }),
    ),
  );
  if (failure) throw failure.error;
}
