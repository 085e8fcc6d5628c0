/**
 * The push channel: a WebSocket (API Gateway WebSocket API) that carries hints only. The change feed
 * (GET /changes) stays the one truth; a hint says no more than "your feed moved, read it", so a lost,
 * late or duplicated hint costs a feed read at most, and the client keeps polling (slowly) anyway.
 *
 * The access token travels in the Sec-WebSocket-Protocol header, the one header a browser may set on
 * a WebSocket: the client offers `[PUSH.protocol, <access token>]` and the service selects
 * PUSH.protocol. A header keeps the token out of URLs, which access logs, proxies and browser history
 * record.
 */
export const PUSH = {
  /** The subprotocol the service selects; a connection offering no other token is refused. */
  protocol: 'tote-push.v1',
  /** `{"action":"ping"}`: keeps the connection inside the idle timeout; answered `{"type":"pong"}`. */
  pingAction: 'ping',
  /** The route selection expression: the `action` of a client's JSON message picks its route. */
  routeSelectionExpression: '$request.body.action',
  /** API Gateway closes a connection nothing was sent or received on for this long. */
  idleTimeoutSeconds: 10 * 60,
  /** API Gateway closes every connection after this long, however busy. */
  maxConnectionSeconds: 2 * 60 * 60,
} as const;

/** What the service sends: `changes` (a feed the connection's user reads moved) or a `pong`. */
export type PushMessage = { readonly type: 'changes' } | { readonly type: 'pong' };

export const CHANGES_HINT: PushMessage = { type: 'changes' };
export const PONG: PushMessage = { type: 'pong' };

/** The message in a text frame, or undefined when it is not one of ours (ignored, never fatal). */
export function parsePushMessage(text: string): PushMessage | undefined {
  try {
    const value = JSON.parse(text) as { type?: unknown };
    return value?.type === 'changes' || value?.type === 'pong' ? { type: value.type } : undefined;
  } catch {
    return undefined;
  }
}

/** The Sec-WebSocket-Protocol values a client offers: the protocol, then the token. */
export const pushProtocols = (accessToken: string): string[] => [PUSH.protocol, accessToken];

/** The token among offered Sec-WebSocket-Protocol values (`tote-push.v1, <token>`), if the protocol is offered. */
export function tokenFromProtocols(header: string | undefined): string | undefined {
  const offered = (header ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (!offered.includes(PUSH.protocol)) return undefined;
  return offered.find((p) => p !== PUSH.protocol);
}
