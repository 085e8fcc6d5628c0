/**
 * CORS as API Gateway (an HTTP API's CorsConfiguration) and CloudFront (a response headers policy's
 * CorsConfig) apply it: a preflight from an allowed origin is answered by the service itself, other
 * requests from it get Access-Control-Allow-Origin, and requests from any other origin get no CORS
 * headers at all (the browser then refuses to hand the answer to the page).
 */
import type * as http from 'node:http';

export interface CorsModel {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

const originOf = (req: http.IncomingMessage): string | undefined =>
  typeof req.headers.origin === 'string' ? req.headers.origin : undefined;

function allowed(cors: CorsModel, origin: string | undefined): origin is string {
  return origin !== undefined && (cors.allowOrigins.includes('*') || cors.allowOrigins.includes(origin));
}

export const isPreflight = (req: http.IncomingMessage): boolean =>
  req.method === 'OPTIONS' && typeof req.headers['access-control-request-method'] === 'string';

/** Headers answering a preflight; undefined when the origin or method is not allowed. */
export function preflightHeaders(cors: CorsModel, req: http.IncomingMessage): Record<string, string> | undefined {
  const origin = originOf(req);
  const method = String(req.headers['access-control-request-method']).toUpperCase();
  if (!allowed(cors, origin)) return undefined;
  if (!cors.allowMethods.includes('*') && !cors.allowMethods.map((m) => m.toUpperCase()).includes(method)) return undefined;
  const requested = String(req.headers['access-control-request-headers'] ?? '');
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': cors.allowMethods.join(','),
    'access-control-allow-headers': cors.allowHeaders.includes('*') ? requested : cors.allowHeaders.join(','),
    vary: 'Origin',
  };
  if (cors.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(cors.maxAgeSeconds);
  return headers;
}

/** Headers for an actual response to `req`; empty unless its origin is allowed. */
export function responseCorsHeaders(cors: CorsModel | undefined, req: http.IncomingMessage): Record<string, string> {
  const origin = originOf(req);
  if (!cors || !allowed(cors, origin)) return {};
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  return headers;
}

/**
 * The template names browser origins as AWS serves them (`https://<distribution domain>`); locally
 * that domain resolves to a loopback host:port served over plain HTTP.
 */
export function localOrigin(origin: string): string {
  return origin.replace(/^https:\/\/((?:127\.0\.0\.1|localhost)(?::\d+)?)$/, 'http://$1');
}
