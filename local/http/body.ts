import type * as http from 'node:http';

export class BodyTooLargeError extends Error {}

/** How much of an oversized body is read and discarded so the client gets to read the refusal. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads the whole request body; past `limitBytes` it keeps reading but discards, and fails once the
 * body ends, because a client still sending when the answer comes sees a broken pipe instead of it.
 * A body that goes on far beyond the limit gets its connection cut.
 */
export function readBody(req: http.IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size <= limitBytes) parts.push(part);
      else if (size > limitBytes + DRAIN_LIMIT_BYTES) req.destroy();
    });
    req.once('end', () => (size > limitBytes ? reject(new BodyTooLargeError(`request body exceeds ${limitBytes} bytes`)) : resolve(Buffer.concat(parts))));
    req.once('error', reject);
    req.once('close', () => reject(new Error('the client closed the connection before the body ended')));
  });
}
