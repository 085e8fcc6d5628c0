/**
 * The typed client of the Tote HTTP API in the browser, built from the contract's route table: one
 * `call` per route id, failures translated once into WebErrors with the service's codes, the bearer
 * token attached and refreshed once when the API refuses it, and transient failures of retry-safe
 * routes retried with full-jitter backoff.
 */
import { isErrorBody } from '@contract/errors';
import { ROUTES, routePath } from '@contract/routes';
import { codeForStatus, isWebError, WebError } from '../errors';
import { RETRY_SAFE, type InputOf, type OutputOf, type WebRoute } from './routes';

export interface TokenSource {
  accessToken(): Promise<string>;
  /** The API refused the token it was given: refresh now, whatever its expiry says. */
  refreshedAccessToken(): Promise<string>;
}

export interface ApiClientOptions {
  readonly endpoint: string;
  readonly tokens?: TokenSource;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

const RETRYABLE = new Set(['NETWORK', 'THROTTLED', 'UNAVAILABLE', 'INTERNAL']);
const ATTEMPTS = 5;

/** Full jitter: a random wait up to an exponentially growing cap, so many tabs do not retry in step. */
export const backoffMs = (attempt: number, baseMs = 250, capMs = 8_000): number =>
  Math.random() * Math.min(capMs, baseMs * 2 ** attempt);

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new WebError('CANCELLED', 'cancelled'));
    }, { once: true });
  });

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get endpoint(): string {
    return this.options.endpoint;
  }

  async call<R extends WebRoute>(route: R, input: InputOf<R>, signal?: AbortSignal): Promise<OutputOf<R>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.callOnce(route, input as AnyInput, signal)) as OutputOf<R>;
      } catch (error) {
        const retry = RETRY_SAFE.has(route) && isWebError(error) && RETRYABLE.has(error.code) && attempt + 1 < ATTEMPTS;
        if (!retry || signal?.aborted) throw error;
        await sleep(backoffMs(attempt), signal);
      }
    }
  }

  private async callOnce(route: WebRoute, input: AnyInput, signal?: AbortSignal): Promise<unknown> {
    if (!ROUTES[route].auth) return this.interpret(route, await this.send(route, input, undefined, signal));
    const tokens = this.options.tokens;
    if (!tokens) throw new WebError('NOT_SIGNED_IN', 'not signed in');
    let response = await this.send(route, input, await tokens.accessToken(), signal);
    if (response.status === 401) response = await this.send(route, input, await tokens.refreshedAccessToken(), signal);
    return this.interpret(route, response);
  }

  private async send(route: WebRoute, input: AnyInput, token: string | undefined, signal?: AbortSignal): Promise<Response> {
    const spec = ROUTES[route];
    const url = new URL(this.options.endpoint + routePath(spec, input.params));
    for (const [name, value] of Object.entries(input.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    try {
      return await (this.options.fetch ?? fetch)(url, {
        method: spec.method,
        headers,
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (thrown) {
      if (signal?.aborted) throw new WebError('CANCELLED', 'cancelled');
      throw new WebError('NETWORK', `cannot reach the Tote service (${(thrown as Error).message})`);
    }
  }

  private async interpret(route: WebRoute, response: Response): Promise<unknown> {
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) return json;
    if (isErrorBody(json)) throw new WebError(json.error.code, json.error.message, response.status, json.error.details);
    const spec = ROUTES[route];
    throw new WebError(codeForStatus(response.status), `${spec.method} ${spec.path} answered ${response.status}`, response.status);
  }
}

interface AnyInput {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}
