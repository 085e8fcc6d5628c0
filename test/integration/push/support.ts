/**
 * The push channel as a client meets it: the URL GET /health announces, a WebSocket offering a token
 * as a subprotocol, and the hints it hears. A test's listener keeps every message with its arrival
 * time; `nextHint` waits for a hint after a point in time.
 */
import WebSocket from 'ws';
import type { HealthResponse } from '@contract/schemas';
import { parsePushMessage, pushProtocols } from '@contract/push';
import type { Target } from '../harness/target';

export async function pushUrl(target: Target): Promise<string> {
  const health = (await (await fetch(`${target.apiUrl}/health`)).json()) as HealthResponse;
  if (!health.push) throw new Error('GET /health announces no push channel');
  return health.push.url;
}

export interface Listener {
  readonly hints: number[];
  /** Resolves with the arrival time of the first hint after `since`, or rejects after `withinMs`. */
  nextHint(since: number, withinMs?: number): Promise<number>;
  /** Hints that arrived after `since`. */
  hintsAfter(since: number): number[];
  /** Resolves when the service closes the connection; rejects after `withinMs`. */
  closedByService(withinMs?: number): Promise<void>;
  close(): void;
}

/** Opens a connection with `token`; resolves once open, or rejects with the HTTP status it was refused with. */
export async function listen(target: Target, token: string): Promise<Listener> {
  const ws = new WebSocket(await pushUrl(target), pushProtocols(token));
  const hints: number[] = [];
  ws.on('message', (data) => {
    if (parsePushMessage(data.toString())?.type === 'changes') hints.push(Date.now());
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
  return {
    hints,
    hintsAfter: (since) => hints.filter((t) => t > since),
    async nextHint(since, withinMs = 10_000) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        const hint = hints.find((t) => t > since);
        if (hint !== undefined) return hint;
        if (Date.now() > deadline) throw new Error(`no hint within ${withinMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    closedByService: (withinMs = 30_000) =>
      Promise.race([closed, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`not closed within ${withinMs} ms`)), withinMs).unref())]),
    close: () => ws.terminate(),
  };
}

/** The HTTP status a connection offering these subprotocols is refused with, or 'open'. */
export async function connectOutcome(target: Target, protocols: string[] | undefined): Promise<number | 'open'> {
  const ws = new WebSocket(await pushUrl(target), protocols);
  try {
    return await new Promise((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
  } finally {
    ws.terminate();
  }
}
