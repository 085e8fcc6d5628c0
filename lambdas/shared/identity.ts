/**
 * The caller, as API Gateway's JWT authorizer vouched for it. Only the verified `sub` claim is
 * trusted: it becomes the namespace (owner id) in keys and S3 prefixes, so it must also be shaped
 * like one.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { unauthorized } from './errors';

export interface Caller {
  readonly userId: string;
}

export const SUB_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

interface JwtAuthorizerContext {
  authorizer?: { jwt?: { claims?: Record<string, unknown> } };
}

export function callerFrom(event: APIGatewayProxyEventV2): Caller {
  const context = event.requestContext as APIGatewayProxyEventV2['requestContext'] & JwtAuthorizerContext;
  const sub = context?.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || !SUB_PATTERN.test(sub)) throw unauthorized();
  return { userId: sub };
}

/** The access token's `iat` (epoch seconds) as API Gateway passes it, when it is a number. */
export function tokenIssuedAt(event: APIGatewayProxyEventV2): number | undefined {
  const context = event.requestContext as APIGatewayProxyEventV2['requestContext'] & JwtAuthorizerContext;
  return issuedAtOf(context?.authorizer?.jwt?.claims?.iat);
}

/** An `iat` claim (epoch seconds, a number or its string form) when it is a positive integer. */
export function issuedAtOf(claim: unknown): number | undefined {
  const iat = Number(claim);
  return Number.isSafeInteger(iat) && iat > 0 ? iat : undefined;
}
