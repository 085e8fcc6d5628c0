/**
 * One fuzz case on the wire, and the verdict on its answer. A refusal must be a 4xx a machine can
 * read: the contract's error body with the status its code stands for, or one of API Gateway's own
 * answers (which a deployment sends the same way: it cannot be given our body). A batch route may
 * answer 200 when every item failed with a code. Never a 5xx; never a 2xx otherwise.
 */
import * as http from 'node:http';
import { ERROR_STATUS, isErrorBody } from '@contract/errors';
import { ROUTES } from '@contract/routes';
import type { FuzzCase } from './requests';
import type { World } from './world';

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly wwwAuthenticate: string | null;
}

/** What API Gateway answers by itself: a route it does not know, a token it refuses, a body too large. */
const GATEWAY_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
};

/** Percent-encodes every UTF-16 unit, an unpaired surrogate as the three bytes it would take (invalid UTF-8, as a hostile client may send). */
export function encodeComponent(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const paired = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    if (paired) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(text[i]);
    }
  }
  return out;
}

export function urlOf(world: World, c: FuzzCase): string {
  const path = ROUTES[c.route].path.replace(/\{(\w+)\}/g, (_, name: string) => encodeComponent(c.params[name] ?? ''));
  const query = c.query.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
  return `${world.target.apiUrl}${path}${query ? `?${query}` : ''}`;
}

/**
 * Sends the case on a connection of its own (node:http, no agent), so what a case does to its
 * connection cannot be blamed on the next one, and a dropped connection is that case's finding.
 */
export async function send(world: World, c: FuzzCase): Promise<Answer> {
  const headers: Record<string, string> = { ...c.headers };
  const authorization = await world.authorization(c.token);
  if (authorization) headers.authorization = authorization;
  // Bytes, so nothing adds a content type of its own.
  const body = c.body === undefined ? undefined : Buffer.from(c.body, 'utf8');
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(urlOf(world, c), { method: ROUTES[c.route].method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        const wwwAuthenticate = res.headers['www-authenticate'];
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8'), wwwAuthenticate: wwwAuthenticate ?? null });
      });
      res.on('error', (err) => reject(new Error(`no whole answer: ${err.message}`)));
    });
    req.on('error', (err: NodeJS.ErrnoException) => reject(new Error(`no answer: ${err.code ?? ''} ${err.message}`)));
    req.end(body);
  });
}

/** Why the answer is wrong for the case, or undefined when it is what the service must answer. */
export function verdict(c: FuzzCase, answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}`;
  const json = parse(answer.text);
  if (c.fault === 'none') return json === undefined ? `answered ${answer.status} without a JSON body` : undefined;
  if (c.fault === 'token') {
    const gateway = (answer.status === 401 || answer.status === 403) && isGatewayMessage(answer.status, json);
    const coded = c.token === 'none' || /error="(invalid_token|insufficient_scope)"/.test(answer.wwwAuthenticate ?? '');
    return gateway && coded ? undefined : `answered ${answer.status} ${answer.text.slice(0, 200)} (WWW-Authenticate: ${answer.wwwAuthenticate})`;
  }
  if (answer.status >= 200 && answer.status < 300) {
    return everyItemFailed(json) ? undefined : `answered ${answer.status} to a request it must refuse`;
  }
  if (answer.status < 400) return `answered ${answer.status}`;
  if (isErrorBody(json)) {
    const expected = (ERROR_STATUS as Record<string, number>)[json.error.code];
    return expected === answer.status ? undefined : `answered ${answer.status} with code ${json.error.code}, which stands for ${expected ?? 'no status'}`;
  }
  return isGatewayMessage(answer.status, json) ? undefined : `answered ${answer.status} without a machine-readable code: ${answer.text.slice(0, 200)}`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isGatewayMessage(status: number, json: unknown): boolean {
  return GATEWAY_MESSAGES[status] !== undefined && (json as { message?: unknown } | undefined)?.message === GATEWAY_MESSAGES[status];
}

/** A batch answer (`{ results: [...] }`) in which every item failed with a code. */
function everyItemFailed(json: unknown): boolean {
  const results = (json as { results?: unknown } | undefined)?.results;
  return (
    Array.isArray(results) &&
    results.length > 0 &&
    results.every((r: { ok?: unknown; error?: unknown }) => r.ok === false && typeof (r.error as { code?: unknown } | undefined)?.code === 'string')
  );
}
