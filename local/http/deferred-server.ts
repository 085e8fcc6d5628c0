/**
 * An HTTP server that binds its port first and gets its request handler (and, for WebSockets, its
 * upgrade handler) later. The runtime needs the
 * API and edge addresses (random ports in tests) before it can resolve the handlers' environment, and
 * the handlers need that environment; until `serve` is called every request gets a 503.
 */
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { LOCAL_HOST, type ServiceName } from '../config';
import { closeServer, listen } from './server';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
/** A request to switch protocols (WebSocket): the handler owns the socket from then on. */
export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface DeferredServer {
  readonly url: string;
  /** host:port, what a client puts in its Host header. */
  readonly host: string;
  serve(handler: RequestHandler, upgrades?: UpgradeHandler): void;
  stop(): Promise<void>;
}

export async function startDeferredServer(port: number, service: ServiceName): Promise<DeferredServer> {
  let handler: RequestHandler = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Service Unavailable' }));
  };
  let upgrade: UpgradeHandler = (_req, socket) => socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  const server = http.createServer((req, res) => handler(req, res));
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => upgrade(req, socket, head));
  // Long uploads and downloads share the machine with emulators; never cut a slow request short.
  server.requestTimeout = 0;
  // Idle keep-alive connections outlive any client's pool timeout (undici's is 4 s), so the client
  // always drops one first and never sends a request on a socket the server is closing ("other side
  // closed"), which under load Node's 5 s default made a race. API Gateway keeps idle ones longer too.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const bound = await listen(server, port, service);
  const host = `${LOCAL_HOST}:${bound}`;
  return {
    url: `http://${host}`,
    host,
    serve: (next, upgrades) => {
      handler = next;
      if (upgrades) upgrade = upgrades;
    },
    stop: () => closeServer(server),
  };
}
