/**
 * Generated content for tests and the benchmark: log-like text, which compresses about as well as
 * real logs and source code do (5-10x with gzip), without being one line repeated. Reproducible per
 * seed, so no fixtures are stored.
 */
import { createCipheriv, createHash } from 'node:crypto';

function keystream(seed: number, length: number): Buffer {
  const key = createHash('sha256').update(`text:${seed}`).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

const WORDS = ['handled', 'request', 'from', 'worker', 'queue', 'cache', 'miss', 'hit', 'upload', 'chunk', 'commit', 'retry', 'user', 'session', 'ok'];

/** `length` bytes of lines like `2026-01-01T00:00:07.123Z worker-3 cache miss for user 48213 in 12 ms`. */
export function logText(seed: number, length: number): Buffer {
  const noise = keystream(seed, Math.ceil(length / 4) + 64);
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (let i = 0; at < length; i++) {
    const n = (k: number) => noise.readUInt16LE((i * 8 + k * 2) % (noise.length - 2));
    const line =
      `2026-01-01T00:${String((i >> 6) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(n(0) % 1000).padStart(3, '0')}Z ` +
      `worker-${n(1) % 16} ${WORDS[n(2) % WORDS.length]} ${WORDS[n(3) % WORDS.length]} for user ${n(4) % 50_000} in ${n(5) % 200} ms\n`;
    at += out.write(line, at);
  }
  return out;
}
