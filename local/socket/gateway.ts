/**
 * The local API Gateway for the WebSocket API the template defines. $connect: the Lambda authorizer,
 * then the $connect function, whose answer decides the handshake (status, selected subprotocol).
 * Messages: the route selection expression picks a route (else $default, else the gateway's
 * "Forbidden"), the route's function runs, and a route with a route response sends its answer back.
 * Connections close after API Gateway's idle timeout (WebSocket ping frames do not count, as on AWS:
 * only data does) and its maximum duration; $disconnect runs when they close. The management API
 * (`@connections`, management.ts) posts to them.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { PUSH } from '@contract/push';
import type { EventSink } from '../host/events';
import type { UpgradeHandler } from '../http/deferred-server';
import type { FunctionPool, InvokeResult } from '../lambda/function-pool';
import type { SocketApiModel } from '../template/socket-model';
import { authorizeConnect } from './authorizer';
import { connectEvent, disconnectEvent, messageEvent, newConnectionId, upgradeRequest, type ConnectionFacts } from './events';

/** API Gateway's limit on one message. */
export const MAX_MESSAGE_BYTES = 128 * 1024;

export interface SocketGatewayOptions {
  readonly api: SocketApiModel;
  /** The API's id, as Ref resolves it (what events and method ARNs carry). */
  readonly apiId: string;
  readonly pools: ReadonlyMap<string, FunctionPool>;
  readonly emit: EventSink;
  /** @default PUSH.idleTimeoutSeconds */
  readonly idleTimeoutMs?: number;
  /** @default PUSH.maxConnectionSeconds */
  readonly maxDurationMs?: number;
}

export interface LiveConnection {
  readonly facts: ConnectionFacts;
  readonly socket: WebSocket;
  lastActiveAt: number;
  /** Sends a text message; counts as activity. */
  send(text: string): void;
}

export interface SocketGateway {
  readonly upgrade: UpgradeHandler;
  readonly connections: ReadonlyMap<string, LiveConnection>;
  stop(): Promise<void>;
}

export function socketGateway(opts: SocketGatewayOptions): SocketGateway {
  const { api } = opts;
  const idleMs = opts.idleTimeoutMs ?? PUSH.idleTimeoutSeconds * 1000;
  const maxMs = opts.maxDurationMs ?? PUSH.maxConnectionSeconds * 1000;
  const selected = new WeakMap<IncomingMessage, string>();
  // autoPong off: API Gateway does not answer WebSocket ping frames either.
  const server = new WebSocketServer({ noServer: true, autoPong: false, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: (_offered, req) => selected.get(req) ?? false });
  const connections = new Map<string, LiveConnection>();
  let stopping = false;
  const poolOf = (routeKey: string) => {
    const route = api.routes.get(routeKey);
    return route ? { route, pool: opts.pools.get(route.function.logicalId) } : undefined;
  };
  const log = (method: string, path: string, status: number, started: number) =>
    opts.emit({ type: 'request', server: 'socket', method, path, status, ms: Date.now() - started });

  const upgrade: UpgradeHandler = (req, socket, head) => {
    const started = Date.now();
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path !== `/${api.stageName}`) {
      log('CONNECT', path, refuse(socket, 403, 'Forbidden'), started);
      return;
    }
    connect(req, socket, head).then(
      (status) => log('CONNECT', path, status, started),
      (error: Error) => {
        opts.emit({ type: 'warning', message: `WebSocket $connect failed: ${error.message}` });
        refuse(socket, 500, 'Internal server error');
      },
    );
  };

  async function connect(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<number> {
    const request = upgradeRequest(req);
    let facts: ConnectionFacts = {
      apiId: opts.apiId,
      stage: api.stageName,
      connectionId: newConnectionId(),
      connectedAt: Date.now(),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: req.headers['user-agent'] ?? '',
      domainName: req.headers.host ?? 'localhost',
    };
    if (api.authorizer) {
      const pool = opts.pools.get(api.authorizer.function.logicalId);
      if (!pool) return refuse(socket, 500, 'Internal server error');
      const verdict = await authorizeConnect(api.authorizer, pool, facts, request);
      if (!verdict.ok) return refuse(socket, verdict.status, verdict.message);
      facts = { ...facts, authorizer: verdict.context };
    }
    const target = poolOf('$connect');
    if (target?.pool) {
      const answer = proxyAnswer(await target.pool.invoke(connectEvent(facts, request)));
      if (answer.status < 200 || answer.status > 299) return refuse(socket, answer.status === 500 ? 500 : answer.status, answer.status === 500 ? 'Internal server error' : 'Forbidden');
      const protocol = answer.headers['sec-websocket-protocol'];
      if (protocol) selected.set(req, protocol);
    }
    if (stopping || socket.destroyed) return 410;
    server.handleUpgrade(req, socket, head, (ws) => open(facts, ws));
    return 101;
  }

  function open(facts: ConnectionFacts, socket: WebSocket): void {
    let idleTimer: NodeJS.Timeout;
    const touch = () => {
      connection.lastActiveAt = Date.now();
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => socket.close(1001, 'Going away'), idleMs);
    };
    const connection: LiveConnection = {
      facts,
      socket,
      lastActiveAt: Date.now(),
      send: (text) => {
        socket.send(text);
        touch();
      },
    };
    touch();
    const maxTimer = setTimeout(() => socket.close(1001, 'Going away'), maxMs);
    connections.set(facts.connectionId, connection);
    socket.on('message', (data, isBinary) => {
      touch();
      void onMessage(connection, isBinary ? Buffer.from(data as Buffer).toString('base64') : data.toString());
    });
    socket.on('error', () => socket.terminate());
    socket.once('close', (code, reason) => {
      clearTimeout(idleTimer);
      clearTimeout(maxTimer);
      connections.delete(facts.connectionId);
      if (!stopping) void disconnect(facts, code, reason.toString());
    });
  }

  async function onMessage(connection: LiveConnection, body: string): Promise<void> {
    const started = Date.now();
    const { facts } = connection;
    const selectedKey = selectRoute(api.routeSelectionExpression, body);
    const routeKey = selectedKey !== undefined && api.routes.has(selectedKey) ? selectedKey : '$default';
    const target = poolOf(routeKey);
    const reply = (message: string) => connection.socket.readyState === connection.socket.OPEN && connection.send(message);
    if (!target?.pool) {
      reply(JSON.stringify({ message: 'Forbidden', connectionId: facts.connectionId, requestId: newConnectionId() }));
      return log('MESSAGE', routeKey, 403, started);
    }
    const result = await target.pool.invoke(messageEvent(facts, routeKey, body));
    if (!result.ok) {
      reply(JSON.stringify({ message: 'Internal server error', connectionId: facts.connectionId, requestId: newConnectionId() }));
      return log('MESSAGE', routeKey, 500, started);
    }
    const answer = proxyAnswer(result);
    if (target.route.answers && answer.body !== undefined) reply(answer.body);
    log('MESSAGE', routeKey, answer.status, started);
  }

  async function disconnect(facts: ConnectionFacts, code: number, reason: string): Promise<void> {
    const target = poolOf('$disconnect');
    if (!target?.pool) return;
    const result = await target.pool.invoke(disconnectEvent(facts, code, reason)).catch((error: Error) => ({ ok: false, errorMessage: error.message }) as const);
    if (!result.ok && !stopping) opts.emit({ type: 'warning', message: `$disconnect of ${facts.connectionId} failed: ${result.errorMessage}` });
  }

  return {
    upgrade,
    connections,
    async stop() {
      stopping = true;
      const closed = [...connections.values()].map((c) => new Promise<void>((resolve) => (c.socket.once('close', () => resolve()), c.socket.close(1001, 'Going away'))));
      await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 1_000).unref())]);
      for (const c of connections.values()) c.socket.terminate();
      server.close();
    },
  };
}

/** The route key a message selects: the value at `$request.body.<path>` of its JSON, if any. */
export function selectRoute(expression: string, body: string): string | undefined {
  const path = /^\$request\.body\.(.+)$/.exec(expression)?.[1];
  if (!path) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A Lambda proxy integration's answer: a failed invocation is a 500; no status code means 200. */
function proxyAnswer(result: InvokeResult): { status: number; headers: Record<string, string>; body?: string } {
  if (!result.ok) return { status: 500, headers: {} };
  const payload = result.payload as { statusCode?: unknown; headers?: Record<string, unknown>; body?: unknown } | null;
  const headers = Object.fromEntries(Object.entries(payload?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return {
    status: payload?.statusCode === undefined ? 200 : Number(payload.statusCode),
    headers,
    ...(typeof payload?.body === 'string' ? { body: payload.body } : {}),
  };
}

/** Answers a handshake with an HTTP error, the way API Gateway refuses a connection. */
function refuse(socket: Duplex, status: number, message: string): number {
  const body = JSON.stringify({ message });
  if (!socket.destroyed) {
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  return status;
}
