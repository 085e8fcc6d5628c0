/**
 * The events API Gateway sends for a WebSocket API: the REQUEST authorizer's event at $connect, and
 * the Lambda proxy events of $connect, messages and $disconnect. Header names keep the client's case
 * (API Gateway's WebSocket events do); every event after $connect carries the authorizer's context.
 */
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../config';

/** What every event of one connection shares. */
export interface ConnectionFacts {
  readonly apiId: string;
  readonly stage: string;
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly domainName: string;
  /** `principalId` and the context the authorizer returned; absent without an authorizer. */
  readonly authorizer?: Readonly<Record<string, unknown>>;
}

export interface UpgradeRequest {
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly query?: Record<string, string>;
  readonly multiValueQuery?: Record<string, string[]>;
}

type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

/** AWS-shaped ids: 16 characters of base64. */
export const newConnectionId = (): string => randomBytes(11).toString('base64').slice(0, 15) + '=';
const newRequestId = (): string => randomBytes(10).toString('base64').replace(/=+$/, '');

/** The raw request's headers and query, as API Gateway lists them for $connect. */
export function upgradeRequest(req: http.IncomingMessage): UpgradeRequest {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const [name, value] = [req.rawHeaders[i], req.rawHeaders[i + 1]];
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const search = new URL(req.url ?? '/', 'http://local').searchParams;
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of search) (multiValueQuery[name] ??= []).push(value);
  const query = Object.fromEntries(Object.entries(multiValueQuery).map(([name, values]) => [name, values[values.length - 1]]));
  return { headers, multiValueHeaders, ...(Object.keys(query).length ? { query, multiValueQuery } : {}) };
}

export const methodArn = (facts: Pick<ConnectionFacts, 'apiId' | 'stage'>, routeKey: string) =>
  `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${facts.apiId}/${facts.stage}/${routeKey}`;

function requestContext(facts: ConnectionFacts, routeKey: string, eventType: EventType, extra: Record<string, unknown> = {}) {
  const now = new Date();
  const requestId = newRequestId();
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: now.toUTCString(),
    messageDirection: 'IN',
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: { sourceIp: facts.sourceIp, userAgent: facts.userAgent },
    requestId,
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
    ...(facts.authorizer ? { authorizer: facts.authorizer } : {}),
    ...extra,
  };
}

export function authorizerEvent(facts: ConnectionFacts, request: UpgradeRequest) {
  return {
    type: 'REQUEST',
    methodArn: methodArn(facts, '$connect'),
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    ...(request.query ? { queryStringParameters: request.query, multiValueQueryStringParameters: request.multiValueQuery } : {}),
    stageVariables: {},
    requestContext: requestContext(facts, '$connect', 'CONNECT'),
  };
}

export function connectEvent(facts: ConnectionFacts, request: UpgradeRequest) {
  return {
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    ...(request.query ? { queryStringParameters: request.query, multiValueQueryStringParameters: request.multiValueQuery } : {}),
    requestContext: requestContext(facts, '$connect', 'CONNECT'),
    isBase64Encoded: false,
  };
}

export function messageEvent(facts: ConnectionFacts, routeKey: string, body: string) {
  return {
    requestContext: requestContext(facts, routeKey, 'MESSAGE', { messageId: newRequestId() }),
    body,
    isBase64Encoded: false,
  };
}

export function disconnectEvent(facts: ConnectionFacts, statusCode: number, reason: string) {
  return {
    headers: { Host: facts.domainName },
    multiValueHeaders: { Host: [facts.domainName] },
    requestContext: requestContext(facts, '$disconnect', 'DISCONNECT', { disconnectStatusCode: statusCode, disconnectReason: reason }),
    isBase64Encoded: false,
  };
}
