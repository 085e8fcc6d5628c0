/**
 * Everything started so far, stopped in reverse order: by the runtime's stop(), and by a start-up that
 * fails halfway, so a failed start leaves no process behind either.
 */
export interface StopList {
  add(name: string, stop: () => unknown): void;
  /** Stops all, newest first; resolves with the failures (one thing failing to stop must not strand the rest). */
  stopAll(): Promise<Array<{ name: string; error: Error }>>;
}

export function createStopList(): StopList {
  const entries: Array<{ name: string; stop: () => unknown }> = [];
  // One stopAll at a time: a second call (an abort during start, then the start's own failure) waits
  // for the first, so whoever awaits it knows every process is gone, not just the ones it took.
  let previous: Promise<unknown> = Promise.resolve();
  const stopEntries = async () => {
    const failures: Array<{ name: string; error: Error }> = [];
    for (const { name, stop } of entries.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        failures.push({ name, error: err instanceof Error ? err : new Error(String(err)) });
      }
    }
    return failures;
  };
  return {
    add: (name, stop) => entries.push({ name, stop }),
    stopAll() {
      const run = previous.then(stopEntries);
      previous = run;
      return run;
    },
  };
}
