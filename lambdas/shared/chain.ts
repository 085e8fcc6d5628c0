/**
 * The one middy chain every HTTP handler is built from: Powertools' Lambda context (request id, cold
 * start) on every log line, the error handler, header normalizer, the caller check where the route
 * has one, JSON body parser (only where the route has a body), the route's validator (only where the
 * route takes input), then the handler. The validators are compiled at build time (@validators).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { RouteId } from '@contract/routes';
// Compiled on load in tests; in a deployed bundle, the build's precompiled functions (lib/precompiled-validators.ts).
import { validationFor } from '@validators';
import { errorHandler } from './error-handler';
import type { HttpResponse } from './http';
import { logger } from './logger';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

type Inner = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;
type Admit = (event: APIGatewayProxyEventV2) => Promise<void> | void;

export function chain(route: RouteId, admit: Admit | undefined, inner: Inner): LambdaHttpHandler {
  const { hasBody, validate } = validationFor(route);
  const handler = middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(injectLambdaContext(logger))
    .use(errorHandler())
    .use(httpHeaderNormalizer());
  // Identity before parsing: an anonymous caller learns nothing about what a valid body looks like.
  if (admit) handler.before((request) => admit(request.event));
  if (hasBody) handler.use(httpJsonBodyParser());
  if (validate) handler.use(validator({ eventSchema: validate }));
  return handler.handler(inner) as unknown as LambdaHttpHandler;
}

