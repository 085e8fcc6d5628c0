/**
 * A thin HTTP client for the API that returns whatever came back (status, headers, parsed JSON) instead
 * of throwing, so tests assert on error answers as readily as on successes.
 */
import type { Target } from './target';

export interface ApiAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: T;
}

export interface RequestOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (for malformed or oversized bodies). */
  readonly rawBody?: string | Buffer;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export async function api<T = unknown>(target: Target, method: string, path: string, opts: RequestOptions = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined = opts.rawBody;
  if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${target.apiUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parseJson(text) as T };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
