/**
 * The one middy chain every HTTP handler is built from: Powertools' Lambda context (request id, cold
 * start) on every log line, the error handler, header normalizer, caller check (the token's subject,
 * then its account: account-gate.ts), JSON body parser (only where the route has a body), validator
 * with a schema compiled once at module scope, then the handler. Handlers receive typed, validated
 * input and return a response.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import validator from '@middy/validator';
import { transpileSchema } from '@middy/validator/transpile';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { errorHandler } from './error-handler';
import type { HttpResponse } from './http';
import { accountCheck } from './account-gate';
import { callerFrom, tokenIssuedAt, type Caller } from './identity';
import { logger } from './logger';

export interface RouteSchemas {
  readonly body?: TSchema;
  readonly query?: TSchema;
  readonly params?: TSchema;
}

type Part<S extends RouteSchemas, K extends keyof RouteSchemas, Absent> = S[K] extends TSchema ? Static<S[K]> : Absent;

export interface ApiRequest<S extends RouteSchemas> {
  readonly event: APIGatewayProxyEventV2;
  /** Lambda's context (getRemainingTimeInMillis for work that must stop short of the timeout). */
  readonly context: Context;
  readonly caller: Caller;
  readonly body: Part<S, 'body', undefined>;
  /** API Gateway omits queryStringParameters when there are none; they read as {} here. */
  readonly query: Part<S, 'query', Record<string, never>>;
  readonly params: Part<S, 'params', Record<string, never>>;
}

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

/** JSON Schema of the whole event, so one validator pass names any bad field in body, query or params. */
function eventSchema(schemas: RouteSchemas): TSchema {
  return Type.Object({
    ...(schemas.body ? { body: schemas.body } : {}),
    ...(schemas.query ? { queryStringParameters: Type.Optional(schemas.query) } : {}),
    ...(schemas.params ? { pathParameters: schemas.params } : {}),
  });
}

function chain(schemas: RouteSchemas, requireCaller: boolean, inner: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>) {
  const compiled = transpileSchema(eventSchema(schemas), { coerceTypes: false });
  const handler = middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(injectLambdaContext(logger))
    .use(errorHandler())
    .use(httpHeaderNormalizer());
  // Identity before parsing: an anonymous caller learns nothing about what a valid body looks like.
  if (requireCaller) {
    const accounts = accountCheck();
    handler.before((request) => accounts.admit(callerFrom(request.event), tokenIssuedAt(request.event)));
  }
  if (schemas.body) handler.use(httpJsonBodyParser());
  return handler.use(validator({ eventSchema: compiled })).handler(inner) as unknown as LambdaHttpHandler;
}

/** A route behind the JWT authorizer: the caller is always known inside `fn`. */
export function authedHandler<S extends RouteSchemas>(schemas: S, fn: (request: ApiRequest<S>) => Promise<HttpResponse>): LambdaHttpHandler {
  return chain(schemas, true, (event, context) =>
    fn({
      event,
      context,
      caller: callerFrom(event),
      body: event.body as unknown as ApiRequest<S>['body'],
      query: (event.queryStringParameters ?? {}) as ApiRequest<S>['query'],
      params: (event.pathParameters ?? {}) as ApiRequest<S>['params'],
    }),
  );
}

/** The unauthenticated route (health): same chain, no caller. */
export function publicHandler(fn: (event: APIGatewayProxyEventV2) => Promise<HttpResponse>): LambdaHttpHandler {
  return chain({}, false, fn);
}
