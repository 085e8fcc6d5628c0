/**
 * The caller, as API Gateway's JWT authorizer vouched for it. Only the verified `sub` claim is
 * trusted: it becomes the namespace (owner id) in keys and S3 prefixes, so it must also be shaped
 * like one. The device a change comes from is the client's own word (DEVICE_HEADER): recorded with
 * revisions and trash entries so people can tell their devices apart, never used to decide access.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { LIMITS } from '@contract/limits';
import { DEVICE_HEADER } from '@contract/routes';
import { unauthorized, validationFailed } from './errors';

export interface Caller {
  readonly userId: string;
  /** The device the request says it comes from; absent when it names none. */
  readonly device?: string;
}

export const SUB_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

interface JwtAuthorizerContext {
  authorizer?: { jwt?: { claims?: Record<string, unknown> } };
}

export function callerFrom(event: APIGatewayProxyEventV2): Caller {
  const context = event.requestContext as APIGatewayProxyEventV2['requestContext'] & JwtAuthorizerContext;
  const sub = context?.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || !SUB_PATTERN.test(sub)) throw unauthorized();
  const device = deviceOf(event);
  return device === undefined ? { userId: sub } : { userId: sub, device };
}

function deviceOf(event: APIGatewayProxyEventV2): string | undefined {
  const raw = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === DEVICE_HEADER)?.[1];
  if (raw === undefined || raw.trim() === '') return undefined;
  const device = decoded(raw.trim());
  if (device === undefined || Buffer.byteLength(device) > LIMITS.maxDeviceNameBytes || CONTROL.test(device)) {
    throw validationFailed(`header ${DEVICE_HEADER} must be a percent-encoded device name of at most ${LIMITS.maxDeviceNameBytes} bytes without control characters`, {
      field: `headers.${DEVICE_HEADER}`,
    });
  }
  return device;
}

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
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
