/**
 * The local API Gateway: selects the route, enforces the payload limit, runs the route's JWT
 * authorizer, invokes the route's function with a payload 2.0 event and writes its answer. Errors the
 * gateway itself produces carry API Gateway's bodies (`{"message":"Not Found"}` and the like).
 */
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { EventSink } from '../host/events';
import { BodyTooLargeError, readBody } from '../http/body';
import { isPreflight, preflightHeaders, responseCorsHeaders, type CorsModel } from '../http/cors';
import type { RequestHandler } from '../http/deferred-server';
import type { FunctionPool } from '../lambda/function-pool';
import type { RouteModel } from '../template/api-model';
import { httpApiEvent } from './event';
import { createAuthorizer, type Authorize } from './jwt-authorizer';
import { gatewayMessage, httpAnswer, type HttpAnswer } from './response';
import { compileRoutes } from './route-table';

/** HTTP API's request payload limit. */
export const API_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export interface ApiOptions {
  readonly apiId: string;
  readonly routes: readonly RouteModel[];
  readonly pools: ReadonlyMap<string, FunctionPool>;
  /** The API's CorsConfiguration, origins already in their local form. */
  readonly cors?: CorsModel;
  readonly emit: EventSink;
}

interface ServedRoute {
  readonly model: RouteModel;
  readonly authorize?: Authorize;
}

export function apiHandler(opts: ApiOptions): RequestHandler {
  const authorizers = new Map<string, Authorize>();
  const select = compileRoutes(
    opts.routes.map((model): { routeKey: string; route: ServedRoute } => {
      const auth = model.authorizer;
      if (auth && !authorizers.has(auth.name)) authorizers.set(auth.name, createAuthorizer(auth));
      return { routeKey: model.routeKey, route: { model, authorize: auth ? authorizers.get(auth.name) : undefined } };
    }),
  );

  return (req, res) => {
    const started = Date.now();
    const requestId = randomBytes(10).toString('base64').replace(/=+$/, '');
    const [rawPath, rawQueryString = ''] = (req.url ?? '/').split(/\?(.*)/s);
    answer(req, rawPath, rawQueryString, requestId)
      .catch((): HttpAnswer => gatewayMessage(500, 'Internal Server Error'))
      .then((out) => {
        try {
          const cors = responseCorsHeaders(opts.cors, req);
          res.writeHead(out.status, { ...out.headers, ...cors, 'apigw-requestid': requestId, 'content-length': out.body.length });
          res.end(req.method === 'HEAD' ? undefined : out.body);
        } catch (err) {
          // A header Node refuses (a function's invalid header value) must cost one response, not the runtime.
          opts.emit({ type: 'warning', message: `could not send the answer to ${req.method} ${rawPath}: ${(err as Error).message}` });
          res.destroy();
        }
        opts.emit({ type: 'request', server: 'api', method: req.method ?? '', path: rawPath, status: out.status, ms: Date.now() - started });
      });
  };

  async function answer(req: http.IncomingMessage, rawPath: string, rawQueryString: string, requestId: string): Promise<HttpAnswer> {
    // With CORS configured, API Gateway answers every preflight itself, before routes and authorizers.
    if (opts.cors && isPreflight(req)) {
      req.resume();
      const headers = preflightHeaders(opts.cors, req);
      return { status: 204, headers: headers ?? {}, body: Buffer.alloc(0) };
    }
    let match;
    try {
      match = select(req.method ?? 'GET', rawPath);
    } catch {
      return gatewayMessage(400, 'Bad Request');
    }
    if (!match) {
      req.resume();
      return gatewayMessage(404, 'Not Found');
    }
    let body: Buffer;
    try {
      body = await readBody(req, API_BODY_LIMIT_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return gatewayMessage(413, 'Request Entity Too Large');
      throw err;
    }
    const verdict = match.route.authorize ? await match.route.authorize(req.headers) : undefined;
    if (verdict && !verdict.ok) return gatewayMessage(401, 'Unauthorized', { 'www-authenticate': verdict.wwwAuthenticate });
    const pool = opts.pools.get(match.route.model.function.logicalId);
    if (!pool) return gatewayMessage(500, 'Internal Server Error');
    const event = httpApiEvent({
      req,
      body,
      rawPath,
      rawQueryString,
      routeKey: match.routeKey,
      pathParameters: match.pathParameters,
      apiId: opts.apiId,
      requestId,
      now: new Date(),
      jwt: verdict?.ok ? verdict.jwt : undefined,
    });
    return httpAnswer(await pool.invoke(event));
  }
}
