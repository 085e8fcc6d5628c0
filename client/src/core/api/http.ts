/**
 * The one place the client's HTTP requests leave the process: a fetch with a deadline whose
 * failures (refused, reset, timed out) come back as NETWORK errors naming the host.
 */
import { NetworkError, type ToteErrorCode } from '../errors';

export type Fetch = typeof fetch;

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** Whole exchange, body included; a stalled transfer fails after this. */
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

export async function httpExchange(fetchImpl: Fetch, request: HttpRequest): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
    });
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body };
  } catch (thrown) {
    throw networkError(thrown, request.url, request.timeoutMs);
  }
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
