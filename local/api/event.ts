/**
 * API Gateway HTTP API payload format 2.0 events, built from a raw Node request the way API Gateway
 * builds them: header names lower-cased and repeated values joined with commas, cookies moved to their
 * own list, query parameters decoded and joined, text bodies as strings and binary ones base64-encoded.
 */
import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as http from 'node:http';
import { LOCAL_ACCOUNT } from '../config';

export interface JwtContext {
  readonly claims: Readonly<Record<string, string>>;
  readonly scopes: readonly string[];
}

/** The event as handlers receive it; `authorizer` is present only on routes with a JWT authorizer. */
export type HttpApiEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayEventRequestContextV2 & { authorizer?: { jwt: JwtContext } };
};

export interface EventInput {
  readonly req: http.IncomingMessage;
  readonly body: Buffer;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly apiId: string;
  readonly requestId: string;
  readonly now: Date;
  readonly jwt?: JwtContext;
}

/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

export function httpApiEvent(input: EventInput): HttpApiEvent {
  const { req } = input;
  const headers = joinedHeaders(req);
  const cookies = headers.cookie?.split(/;\s*/).filter(Boolean);
  delete headers.cookie;
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  const hasBody = input.body.length > 0;
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const query = queryParameters(input.rawQueryString);
  const domainName = headers.host ?? 'localhost';

  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: input.apiId,
      ...(input.jwt ? { authorizer: { jwt: input.jwt } } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: {
        method: req.method ?? 'GET',
        path: input.rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: clfTime(input.now),
      timeEpoch: input.now.getTime(),
    },
    ...(Object.keys(input.pathParameters).length ? { pathParameters: { ...input.pathParameters } } : {}),
    ...(hasBody ? { body: input.body.toString(text ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
}

function joinedHeaders(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const value = req.rawHeaders[i + 1];
    headers[name] = name in headers ? `${headers[name]}${name === 'cookie' ? '; ' : ','}${value}` : value;
  }
  return headers;
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    params[name] = name in params ? `${params[name]},${value}` : value;
  }
  return params;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the request time format of API Gateway's context. */
function clfTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
