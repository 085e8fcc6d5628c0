/**
 * The management API of the local WebSocket API (`@connections`), which handlers reach through the
 * SDK's ApiGatewayManagementApi at the stage's callback URL: POST sends a message to a connection,
 * GET describes it, DELETE closes it. A connection that is not open answers 410 GoneException, an
 * oversized message 413, with the error types the SDK reads from `x-amzn-errortype`. Signatures are
 * not checked, as by the other local emulators.
 */
import type * as http from 'node:http';
import type { EventSink } from '../host/events';
import { BodyTooLargeError, readBody } from '../http/body';
import type { RequestHandler } from '../http/deferred-server';
import { MAX_MESSAGE_BYTES, type LiveConnection } from './gateway';

export interface ManagementOptions {
  readonly stageName: string;
  readonly connections: ReadonlyMap<string, LiveConnection>;
  readonly emit: EventSink;
}

export function managementHandler(opts: ManagementOptions): RequestHandler {
  const pattern = new RegExp(`^/${opts.stageName}/@connections/([^/]+)$`);
  return (req, res) => {
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0];
    answer(req, path)
      .catch((): Answer => error(500, 'InternalServerErrorException', 'Internal server error'))
      .then(({ status, headers, body }) => {
        res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
        opts.emit({ type: 'request', server: 'socket', method: req.method ?? '', path: path.replace(/@connections\/.*/, '@connections/{id}'), status, ms: Date.now() - started });
      });
  };

  async function answer(req: http.IncomingMessage, path: string): Promise<Answer> {
    const id = pattern.exec(path)?.[1];
    if (id === undefined) {
      req.resume();
      return error(403, 'ForbiddenException', 'Forbidden');
    }
    const connection = opts.connections.get(decodeURIComponent(id));
    switch (req.method) {
      case 'POST': {
        let data: Buffer;
        try {
          data = await readBody(req, MAX_MESSAGE_BYTES);
        } catch (err) {
          if (err instanceof BodyTooLargeError) return error(413, 'PayloadTooLargeException', 'Message too long');
          throw err;
        }
        if (!connection || connection.socket.readyState !== connection.socket.OPEN) return gone();
        connection.send(data.toString('utf8'));
        return { status: 200, headers: {}, body: '' };
      }
      case 'GET':
        req.resume();
        if (!connection) return gone();
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ConnectedAt: new Date(connection.facts.connectedAt).toISOString(),
            Identity: { SourceIp: connection.facts.sourceIp, UserAgent: connection.facts.userAgent },
            LastActiveAt: new Date(connection.lastActiveAt).toISOString(),
          }),
        };
      case 'DELETE':
        req.resume();
        if (!connection) return gone();
        connection.socket.close(1000, '');
        return { status: 204, headers: {}, body: '' };
      default:
        req.resume();
        return error(403, 'ForbiddenException', 'Forbidden');
    }
  }
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const error = (status: number, type: string, message: string): Answer => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ message }),
});

const gone = () => error(410, 'GoneException', 'the connection is gone');
