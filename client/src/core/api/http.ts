/**
 * The one place the client's HTTP requests leave: a fetch (injected, so it can be Node's, a
 * browser's or a test's) with a deadline, whose failures (refused, reset, timed out) come back as
 * NETWORK errors naming the host.
 */
import { NetworkError, throwIfCancelled, ToteError, type ToteErrorCode } from '../errors';
import { webBytes } from '../io';

export type Fetch = typeof fetch;

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** Whole exchange, body included; a stalled transfer fails after this. */
  readonly timeoutMs: number;
  /** Cancels the exchange (CANCELLED, never retried). */
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/** An exchange whose body is read as it arrives (the deadline still covers all of it). */
export interface HttpStream {
  readonly status: number;
  readonly headers: Headers;
  /** The body, read piece by piece; every failure while reading is a NETWORK error. */
  readonly pieces: AsyncIterable<Uint8Array>;
  /** The whole body (for error answers). */
  bytes(): Promise<Uint8Array>;
  /** Stops reading: the connection is given up. */
  cancel(): void;
}

const utf8 = new TextDecoder();

export const textOf = (body: Uint8Array): string => utf8.decode(body);

export async function httpExchange(fetchImpl: Fetch, request: HttpRequest): Promise<HttpResponse> {
  const stream = await httpStream(fetchImpl, request);
  return { status: stream.status, headers: stream.headers, body: await stream.bytes() };
}

export async function httpStream(fetchImpl: Fetch, request: HttpRequest): Promise<HttpStream> {
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
  const failed = (thrown: unknown) =>
    request.signal?.aborted ? new ToteError('CANCELLED', 'cancelled', { cause: thrown }) : networkError(thrown, request.url, request.timeoutMs);
  throwIfCancelled(request.signal);
  let response: Response;
  try {
    const body = typeof request.body === 'string' || request.body === undefined ? request.body : webBytes(request.body);
    response = await fetchImpl(request.url, { method: request.method, headers: request.headers, body, signal });
  } catch (thrown) {
    throw failed(thrown);
  }
  const body = response.body;
  return {
    status: response.status,
    headers: response.headers,
    pieces: {
      async *[Symbol.asyncIterator]() {
        if (body === null) return;
        // getReader, not async iteration: not every browser iterates a ReadableStream.
        const reader = body.getReader();
        try {
          for (;;) {
            const read = await reader.read().catch((thrown: unknown) => {
              throw failed(thrown);
            });
            if (read.done) return;
            yield read.value;
          }
        } finally {
          reader.releaseLock();
        }
      },
    },
    async bytes() {
      try {
        return new Uint8Array(await response.arrayBuffer());
      } catch (thrown) {
        throw failed(thrown);
      }
    },
    cancel() {
      body?.cancel().catch(() => undefined);
    },
  };
}

function networkError(thrown: unknown, url: string, timeoutMs: number): NetworkError {
  const origin = new URL(url).origin;
  const name = (thrown as Error | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new NetworkError(`${origin} did not finish answering within ${Math.round(timeoutMs / 1000)} s`, thrown);
  }
  const cause = (thrown as { cause?: { code?: string; message?: string } } | null)?.cause;
  const reason = cause?.code ?? cause?.message ?? (thrown instanceof Error ? thrown.message : String(thrown));
  return new NetworkError(`cannot reach ${origin} (${reason})`, thrown);
}

/** A code for an HTTP failure that did not carry the contract's error body. */
export function codeForStatus(status: number): ToteErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'THROTTLED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'UNEXPECTED_RESPONSE';
}
