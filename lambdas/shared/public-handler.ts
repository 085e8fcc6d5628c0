/**
 * The unauthenticated route (health) on the same chain (chain.ts), with no caller and no input. Its
 * own module, so its function carries none of the account check's SDK clients.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { chain, type LambdaHttpHandler } from './chain';
import type { HttpResponse } from './http';

export function publicHandler(fn: (event: APIGatewayProxyEventV2) => Promise<HttpResponse>): LambdaHttpHandler {
  return chain('health', undefined, fn);
}
