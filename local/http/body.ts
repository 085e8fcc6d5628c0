import type * as http from 'node:http';

export class BodyTooLargeError extends Error {}

/**
 * Reads the whole request body, failing as soon as it grows past `limitBytes`. On failure the rest is
 * discarded unread so the caller can still answer (and should close the connection).
 */
export function readBody(req: http.IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      req.removeListener('data', onData);
      req.resume();
      reject(new BodyTooLargeError(`request body exceeds ${limitBytes} bytes`));
    };
    if (Number(req.headers['content-length'] ?? 0) > limitBytes) return tooLarge();
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (part: Buffer) => {
      size += part.length;
      if (size > limitBytes) return tooLarge();
      parts.push(part);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(parts)));
    req.once('error', reject);
  });
}
