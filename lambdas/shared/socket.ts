/**
 * The WebSocket API's events as the push handlers read them. The Lambda authorizer runs at $connect
 * only; API Gateway then hands its context (here `userId`, the verified `sub`) to every route of the
 * connection, $disconnect included, so each handler knows whose connection it is without a lookup.
 */
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { unauthorized } from './errors';
import { SUB_PATTERN } from './identity';

/** What the authorizer puts in the connection's context. */
export interface SocketAuthorizerContext {
  readonly userId: string;
}

export type SocketEvent = APIGatewayProxyWebsocketEventV2 & {
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly requestContext: APIGatewayProxyWebsocketEventV2['requestContext'] & {
    readonly authorizer?: Partial<SocketAuthorizerContext> & { readonly principalId?: string };
  };
};

/** The connection's id and user, as the authorizer vouched for it. */
export function socketCaller(event: SocketEvent): { readonly userId: string; readonly connectionId: string } {
  const userId = event.requestContext?.authorizer?.userId;
  const connectionId = event.requestContext?.connectionId;
  if (typeof userId !== 'string' || !SUB_PATTERN.test(userId) || typeof connectionId !== 'string' || connectionId === '') throw unauthorized();
  return { userId, connectionId };
}

/** A header of a $connect event, whatever the case the client wrote its name in. */
export function headerOf(headers: Readonly<Record<string, string | undefined>> | null | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
