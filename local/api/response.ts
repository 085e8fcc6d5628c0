/**
 * Turns a function's result into the HTTP response API Gateway (payload 2.0) would send: a result
 * with a statusCode is a response description; any other JSON value is the body of a 200 JSON answer;
 * a failed invocation or a malformed description is API Gateway's 500.
 */
import type { InvokeResult } from '../lambda/function-pool';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

export const gatewayMessage = (status: number, message: string, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify({ message })),
});

const INTERNAL = () => gatewayMessage(500, 'Internal Server Error');

export function httpAnswer(result: InvokeResult): HttpAnswer {
  if (!result.ok) return INTERNAL();
  const payload = result.payload;
  if (isResponseDescription(payload)) return described(payload);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  };
}

interface ResponseDescription {
  statusCode: unknown;
  headers?: unknown;
  cookies?: unknown;
  body?: unknown;
  isBase64Encoded?: unknown;
}

const isResponseDescription = (value: unknown): value is ResponseDescription =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'statusCode' in value;

function described(d: ResponseDescription): HttpAnswer {
  const status = Number(d.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return INTERNAL();
  if (d.body !== undefined && d.body !== null && typeof d.body !== 'string') return INTERNAL();
  const headers: Record<string, string | string[]> = {};
  if (typeof d.headers === 'object' && d.headers !== null) {
    for (const [name, value] of Object.entries(d.headers)) headers[name.toLowerCase()] = String(value);
  }
  if (Array.isArray(d.cookies) && d.cookies.length) headers['set-cookie'] = d.cookies.map(String);
  const body = typeof d.body === 'string' ? Buffer.from(d.body, d.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { status, headers, body };
}
