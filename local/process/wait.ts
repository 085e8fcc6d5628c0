/** Polls `probe` until it answers true or `timeoutMs` passes; `abort` ends the wait early, failing with the reason it gives. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  { timeoutMs, intervalMs = 50, abort }: { timeoutMs: number; intervalMs?: number; abort?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = abort?.();
    if (reason) throw new Error(reason);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** True when an HTTP GET to `url` gets any answer below 500 (the server is up and parsing requests). */
export async function answersHttp(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await res.arrayBuffer();
  return res.status < 500;
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks which). */
export function sleepUnless(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
