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
  return {
    add: (name, stop) => entries.push({ name, stop }),
    async stopAll() {
      const failures: Array<{ name: string; error: Error }> = [];
      for (const { name, stop } of entries.splice(0).reverse()) {
        try {
          await stop();
        } catch (err) {
          failures.push({ name, error: err instanceof Error ? err : new Error(String(err)) });
        }
      }
      return failures;
    },
  };
}
