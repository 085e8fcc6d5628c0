/**
 * Node's fetch (undici) copies a Uint8Array body whole before sending it, which doubles the memory of
 * every chunk in flight. A one-piece stream of the same bytes, with their length declared (storage
 * refuses chunked uploads), goes out as it is.
 */
import type { Fetch } from '../core/api/http';

export function withStreamedBodies(fetchImpl: Fetch): Fetch {
  return (input, init) => {
    const body = init?.body;
    if (!(body instanceof Uint8Array)) return fetchImpl(input, init);
    const headers = new Headers(init?.headers);
    headers.set('content-length', String(body.length));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // As a Buffer over the same memory: what the socket writes without converting (copying) it.
        controller.enqueue(Buffer.from(body.buffer, body.byteOffset, body.length));
        controller.close();
      },
    });
    return fetchImpl(input, { ...init, headers, body: stream, duplex: 'half' } as RequestInit);
  };
}
