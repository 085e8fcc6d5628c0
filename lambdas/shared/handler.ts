/**
 * Every route behind the authorizer is built with `authedHandler` on the one middy chain (chain.ts),
 * with the caller check (the token's subject, then its account: account-gate.ts) before any input is
 * parsed. Handlers name their route and receive typed, validated input.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { ROUTE_REQUESTS, RouteRequest } from '@contract/route-requests';
import type { RouteId } from '@contract/routes';
import type { HttpResponse } from './http';
import { accountCheck } from './account-gate';
import { chain, type LambdaHttpHandler } from './chain';
import { callerFrom, tokenIssuedAt, type Caller } from './identity';

type Request<R extends RouteId> = (typeof ROUTE_REQUESTS)[R];
type Part<Q extends RouteRequest, K extends keyof RouteRequest, Absent> = Q[K] extends TSchema ? Static<Q[K]> : Absent;

export interface ApiRequest<R extends RouteId> {
  readonly event: APIGatewayProxyEventV2;
  /** Lambda's context (getRemainingTimeInMillis for work that must stop short of the timeout). */
  readonly context: Context;
  readonly caller: Caller;
  readonly body: Part<Request<R>, 'body', undefined>;
  /** API Gateway omits queryStringParameters when there are none; they read as {} here. */
  readonly query: Part<Request<R>, 'query', Record<string, never>>;
  readonly params: Part<Request<R>, 'params', Record<string, never>>;
}

/** A route behind the JWT authorizer: the caller is always known, and their account active, inside `fn`. */
export function authedHandler<R extends Exclude<RouteId, 'health'>>(route: R, fn: (request: ApiRequest<R>) => Promise<HttpResponse>): LambdaHttpHandler {
  const accounts = accountCheck();
  return chain(
    route,
    (event) => accounts.admit(callerFrom(event), tokenIssuedAt(event)),
    (event, context) =>
      fn({
        event,
        context,
        caller: callerFrom(event),
        body: event.body as unknown as ApiRequest<R>['body'],
        query: (event.queryStringParameters ?? {}) as ApiRequest<R>['query'],
        params: (event.pathParameters ?? {}) as ApiRequest<R>['params'],
      }),
  );
}
