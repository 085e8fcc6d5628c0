/**
 * A fault-injecting HTTP proxy on 127.0.0.1, between the client and everything it talks to over HTTP
 * (the API, S3 presigned URLs, the CloudFront edge). The client's requests are re-addressed to it
 * (./rerouting.cjs) with the real destination in a header; the proxy forwards them there, with the
 * Host header of the destination (presigned and signed URLs cover the host), unless the fault plan
 * says otherwise for that request:
 *
 * - `status`: answers 500 or 503 itself, without forwarding (after reading the request body);
 * - `reset-request`: reads part of the request body, then resets the connection (nothing forwarded);
 * - `reset-response`: forwards, then sends the answer's headers and half its body and resets the
 *   connection (the request took effect; the client cannot know);
 * - `stall`: holds the request for a while, then forwards it;
 * - `hang`: never answers (the client must give up by itself).
 *
 * Every request is logged with what was done to it and the status the client saw.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { UPSTREAM_HEADER } from './rerouting.cjs';

export type Fault =
  | { readonly kind: 'pass' }
  | { readonly kind: 'status'; readonly status: 500 | 503 }
  | { readonly kind: 'reset-request' }
  | { readonly kind: 'reset-response' }
  | { readonly kind: 'stall'; readonly ms: number }
  | { readonly kind: 'hang' };

export interface ProxiedRequest {
  readonly method: string;
  /** Destination origin, e.g. http://127.0.0.1:4082. */
  readonly upstream: string;
  /** Path without the query. */
  readonly path: string;
}

export interface LogEntry extends ProxiedRequest {
  readonly fault: Fault['kind'];
  /** What the client was answered; undefined when the connection was reset or never answered. */
  status?: number;
}

export type FaultPlan = (request: ProxiedRequest) => Fault;

export interface FaultProxy {
  readonly url: string;
  readonly log: LogEntry[];
  /** Replaces the plan (the default passes everything). */
  setPlan(plan: FaultPlan): void;
  stop(): Promise<void>;
}

const PASS: FaultPlan = () => ({ kind: 'pass' });
/** Hop-by-hop headers, and ours: not forwarded. */
const DROPPED = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'host', UPSTREAM_HEADER]);

export async function startFaultProxy(): Promise<FaultProxy> {
  const log: LogEntry[] = [];
  const sockets = new Set<Socket>();
  let plan = PASS;

  const server = http.createServer((req, res) => {
    const upstream = String(req.headers[UPSTREAM_HEADER] ?? '');
    if (!upstream) {
      res.writeHead(400).end(`missing ${UPSTREAM_HEADER}`);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const request: ProxiedRequest = { method: req.method ?? 'GET', upstream, path };
    const fault = plan(request);
    const entry: LogEntry = { ...request, fault: fault.kind };
    log.push(entry);
    switch (fault.kind) {
      case 'status':
        req.resume();
        req.once('end', () => {
          entry.status = fault.status;
          res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error');
        });
        return;
      case 'reset-request':
        // Some of the body arrived (or all of a short one): then the connection breaks.
        req.once('data', () => req.socket.destroy());
        req.once('end', () => req.socket.destroy());
        return;
      case 'hang':
        req.resume();
        return;
      case 'stall':
        req.pause();
        setTimeout(() => forward(req, res, upstream, entry, false), fault.ms);
        return;
      default:
        forward(req, res, upstream, entry, fault.kind === 'reset-response');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    setPlan(next) {
      plan = next;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, upstream: string, entry: LogEntry, resetMidBody: boolean): void {
  const target = new URL(req.url ?? '/', upstream);
  const headers: http.OutgoingHttpHeaders = { host: target.host };
  for (const [name, value] of Object.entries(req.headers)) if (!DROPPED.has(name)) headers[name] = value;
  const send = target.protocol === 'https:' ? https.request : http.request;
  const out = send(target, { method: req.method, headers }, (answer) => {
    const length = Number(answer.headers['content-length'] ?? 0);
    const forwarded = { ...answer.headers };
    delete forwarded.connection;
    delete forwarded['keep-alive'];
    res.writeHead(answer.statusCode ?? 502, forwarded);
    if (!resetMidBody) {
      entry.status = answer.statusCode;
      answer.pipe(res);
      return;
    }
    // Half the body (or the first piece of one of unknown length), then the connection breaks.
    let sent = 0;
    answer.on('data', (piece: Buffer) => {
      const room = length > 0 ? Math.max(0, Math.floor(length / 2) - sent) : piece.length;
      if (room > 0) res.write(piece.subarray(0, room));
      sent += Math.min(room, piece.length);
      if (length === 0 || sent >= Math.floor(length / 2)) {
        answer.destroy();
        res.socket?.destroy();
      }
    });
    answer.once('end', () => res.socket?.destroy());
  });
  out.on('error', () => res.socket?.destroy());
  req.pipe(out);
  req.resume();
}
