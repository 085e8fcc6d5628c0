/**
 * The typed client of the Tote HTTP API, built from the contract's route table: one `call` per
 * route id, answers checked against the contract's schemas, failures translated once into coded
 * errors, the bearer token attached and refreshed once when the API refuses it, and transient
 * failures of retry-safe routes retried with backoff.
 */
import { isErrorBody } from '@contract/errors';
import { ROUTES, routePath } from '@contract/routes';
import { ApiError, ToteError } from '../errors';
import { withRetry } from '../retry/retry';
import { codeForStatus, httpExchange, textOf, type Fetch, type HttpResponse } from './http';
import { responseProblem, RETRY_SAFE_ROUTES, type AnyRouteInput, type ClientRoute, type ResponseOf, type RouteInputs } from './routes';

export interface TokenSource {
  /** A current access token (an expired one is refreshed first). */
  accessToken(): Promise<string>;
  /** The API refused the token it was given: refresh now, whatever the expiry says. */
  refreshedAccessToken(): Promise<string>;
}

export interface ApiClientOptions {
  readonly endpoint: string;
  /** Needed by every route but health. */
  readonly tokens?: TokenSource;
  readonly fetch?: Fetch;
  readonly timeoutMs?: number;
  /** Tries per call of a retry-safe route, the first included. */
  readonly retryAttempts?: number;
  readonly onRetry?: (route: ClientRoute, error: ToteError, attempt: number, delayMs: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RETRY_ATTEMPTS = 6;

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get endpoint(): string {
    return this.options.endpoint;
  }

  call<R extends ClientRoute>(route: R, input: RouteInputs[R]): Promise<ResponseOf<R>> {
    const once = () => this.callOnce(route, input as AnyRouteInput) as Promise<ResponseOf<R>>;
    if (!RETRY_SAFE_ROUTES.has(route)) return once();
    return withRetry(once, {
      attempts: this.options.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
      onRetry: (error, attempt, delayMs) => this.options.onRetry?.(route, error, attempt, delayMs),
      sleep: this.options.sleep,
    });
  }

  private async callOnce(route: ClientRoute, input: AnyRouteInput): Promise<unknown> {
    const spec = ROUTES[route];
    if (!spec.auth) return this.interpret(route, await this.send(route, input));
    const tokens = this.options.tokens;
    if (!tokens) throw new ToteError('NOT_LOGGED_IN', 'not logged in');
    let response = await this.send(route, input, await tokens.accessToken());
    if (response.status === 401) response = await this.send(route, input, await tokens.refreshedAccessToken());
    return this.interpret(route, response);
  }

  private send(route: ClientRoute, input: AnyRouteInput, token?: string): Promise<HttpResponse> {
    const spec = ROUTES[route];
    const url = new URL(this.options.endpoint + routePath(spec, input.params));
    for (const [name, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (input.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body);
    }
    // The global fetch is looked up per call: a browser binds it to the window, so it must be called as is.
    return httpExchange(this.options.fetch ?? ((url, init) => fetch(url, init)), {
      method: spec.method,
      url: url.toString(),
      headers,
      body,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }

  private interpret(route: ClientRoute, response: HttpResponse): unknown {
    const spec = ROUTES[route];
    const what = `${spec.method} ${spec.path}`;
    const text = textOf(response.body);
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.status >= 200 && response.status < 300) {
      const problem = responseProblem(route, json);
      if (problem !== undefined) {
        throw new ApiError('UNEXPECTED_RESPONSE', `${what} answered ${response.status} with an unexpected body (${problem})`, response.status);
      }
      return json;
    }
    if (isErrorBody(json)) {
      throw new ApiError(json.error.code, json.error.message, response.status, json.error.details);
    }
    const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new ApiError(codeForStatus(response.status), `${what} answered ${response.status}${excerpt ? `: ${excerpt}` : ''}`, response.status);
  }
}
