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

/**
 * Work that arrives over time rather than as a list known up front: at most `concurrency` tasks run
 * at once. The first failure is kept (and reported once); tasks that have not started by then are
 * skipped, tasks running finish. `drained` waits for all of it and throws that first failure.
 */
export class TaskGroup {
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly tasks = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(
    concurrency: number,
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {
    this.limit = pLimit(concurrency);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Tasks added and not settled (running or waiting for a slot). */
  get size(): number {
    return this.tasks.size;
  }

  add(work: () => Promise<void>): void {
    const task = this.limit(async () => {
      if (this.failure) return;
      try {
        await work();
      } catch (error) {
        if (this.failure) return;
        this.failure = { error };
        this.onFailure(error);
      }
    }).finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }

  /** Resolves once any task settles (at once when none is pending). */
  async settledOne(): Promise<void> {
    if (this.tasks.size > 0) await Promise.race(this.tasks);
  }

  async drained(): Promise<void> {
    while (this.tasks.size > 0) await Promise.race(this.tasks);
    if (this.failure) throw this.failure.error;
  }
}
