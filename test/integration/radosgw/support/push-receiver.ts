import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** An HTTP endpoint on 127.0.0.1 that records what radosgw pushes to it. */
export interface PushReceiver {
  readonly url: string;
  /** Bodies received so far, in arrival order. */
  readonly bodies: string[];
  /** The status the next pushes are answered with (200 unless a test makes the endpoint fail). */
  answerWith(status: number): void;
  /** Resolves once `count` bodies have arrived; rejects after timeoutMs. */
  waitFor(count: number, timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function startPushReceiver(path: string): Promise<PushReceiver> {
  const bodies: string[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      if (req.url === path) bodies.push(Buffer.concat(parts).toString('utf8'));
      res.statusCode = req.url === path ? status : 404;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${path}`,
    bodies,
    answerWith: (next) => (status = next),
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (bodies.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} pushes, got ${bodies.length} within ${timeoutMs} ms`);
        await sleep(20);
      }
      return bodies.slice(0, count);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
