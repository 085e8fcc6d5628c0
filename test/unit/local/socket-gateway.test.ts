/**
 * The local WebSocket gateway served for real (ws client, stand-in functions): the $connect
 * authorizer's verdicts, the connection's context on every route, route answers, the management
 * API as the SDK calls it (GoneException for a closed connection), $disconnect, and API Gateway's
 * idle timeout, which WebSocket ping frames do not reset.
 */
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import WebSocket from 'ws';
import { startDeferredServer, type DeferredServer } from '../../../local/http/deferred-server';
import type { FunctionPool, InvokeResult } from '../../../local/lambda/function-pool';
import { socketGateway, type SocketGateway } from '../../../local/socket/gateway';
import { managementHandler } from '../../../local/socket/management';
import type { FunctionModel } from '../../../local/template/functions';
import type { SocketApiModel } from '../../../local/template/socket-model';

type Handler = (event: any) => InvokeResult;

/** A function stand-in: records its events and answers with `handler`. */
function standIn(logicalId: string, handler: Handler) {
  const events: any[] = [];
  const fn = { logicalId } as FunctionModel;
  const pool: FunctionPool = { fn, invoke: async (event) => (events.push(event), handler(event)), stop: async () => undefined };
  return { fn, pool, events };
}

const allow = (event: any): InvokeResult => {
  const token = String(event.headers['Sec-WebSocket-Protocol'] ?? '').split(/\s*,\s*/)[1];
  if (token === 'bad') return { ok: false, errorType: 'Error', errorMessage: 'Unauthorized' };
  const Effect = token === 'denied' ? 'Deny' : 'Allow';
  return { ok: true, payload: { principalId: 'user-1', policyDocument: { Statement: [{ Effect, Action: 'execute-api:Invoke', Resource: event.methodArn }] }, context: { userId: 'user-1' } } };
};

let server: DeferredServer;
let gateway: SocketGateway;
let functions: Record<'authorize' | 'connect' | 'disconnect' | 'ping', ReturnType<typeof standIn>>;
const clients: WebSocket[] = [];

async function start(idleTimeoutMs?: number): Promise<void> {
  functions = {
    authorize: standIn('Authorize', allow),
    connect: standIn('Connect', () => ({ ok: true, payload: { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'tote-push.v1' } } })),
    disconnect: standIn('Disconnect', () => ({ ok: true, payload: { statusCode: 200 } })),
    ping: standIn('Ping', () => ({ ok: true, payload: { statusCode: 200, body: '{"type":"pong"}' } })),
  };
  const api: SocketApiModel = {
    logicalId: 'Ws',
    stageName: 'v1',
    routeSelectionExpression: '$request.body.action',
    routes: new Map([
      ['$connect', { routeKey: '$connect', function: functions.connect.fn, answers: false }],
      ['$disconnect', { routeKey: '$disconnect', function: functions.disconnect.fn, answers: false }],
      ['ping', { routeKey: 'ping', function: functions.ping.fn, answers: true }],
    ]),
    authorizer: { name: 'auth', function: functions.authorize.fn, identitySource: ['route.request.header.Sec-WebSocket-Protocol'] },
  };
  const pools = new Map(Object.values(functions).map((f) => [f.fn.logicalId, f.pool]));
  server = await startDeferredServer(0, 'socket');
  gateway = socketGateway({ api, apiId: 'ws123', pools, emit: () => undefined, idleTimeoutMs });
  server.serve(managementHandler({ stageName: 'v1', connections: gateway.connections, emit: () => undefined }), gateway.upgrade);
}

afterEach(async () => {
  clients.splice(0).forEach((c) => c.terminate());
  await gateway.stop();
  await server.stop();
});

/** Opens a client; resolves `open`, or the HTTP status the handshake was refused with. */
function connect(protocols?: string[]): Promise<{ ws: WebSocket; outcome: 'open' | number }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1`, protocols);
  clients.push(ws);
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, outcome: 'open' }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws, outcome: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
  });
}

const nextMessage = (ws: WebSocket) => new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
const eventually = async (probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 10));
  return probe();
};

describe('local WebSocket gateway', () => {
  it('answers 401 without asking the authorizer when the identity source is missing; 401 and 403 on its verdicts', async () => {
    // Prepare
    await start();
    // Act
    const missing = await connect();
    const unauthorized = await connect(['tote-push.v1', 'bad']);
    const denied = await connect(['tote-push.v1', 'denied']);
    // Assess
    expect([missing.outcome, unauthorized.outcome, denied.outcome]).toEqual([401, 401, 403]);
    expect(functions.authorize.events).toHaveLength(2);
    expect(functions.connect.events).toHaveLength(0);
  });

  it('opens an allowed connection with the protocol $connect selected, and hands the authorizer context to every route', async () => {
    // Prepare
    await start();
    // Act
    const { ws, outcome } = await connect(['tote-push.v1', 'good']);
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ action: 'ping' }));
    const pong = await reply;
    const forbidden = nextMessage(ws);
    ws.send(JSON.stringify({ action: 'nothing-routes-this' }));
    // Assess
    expect(outcome).toBe('open');
    expect(ws.protocol).toBe('tote-push.v1');
    expect(pong).toBe('{"type":"pong"}');
    expect(JSON.parse(await forbidden)).toMatchObject({ message: 'Forbidden' });
    const [connectEvent] = functions.connect.events;
    const [pingEvent] = functions.ping.events;
    expect(connectEvent.requestContext).toMatchObject({ routeKey: '$connect', eventType: 'CONNECT', authorizer: { principalId: 'user-1', userId: 'user-1' } });
    expect(pingEvent.requestContext).toMatchObject({ routeKey: 'ping', eventType: 'MESSAGE', connectionId: connectEvent.requestContext.connectionId, authorizer: { userId: 'user-1' } });
  });

  it('posts to a connection through the SDK, closes it on DeleteConnection, runs $disconnect, and answers GoneException after', async () => {
    // Prepare
    await start();
    const { ws } = await connect(['tote-push.v1', 'good']);
    const connectionId = functions.connect.events[0].requestContext.connectionId as string;
    const sdk = new ApiGatewayManagementApiClient({ endpoint: `${server.url}/v1`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    // Act
    const received = nextMessage(ws);
    await sdk.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: '{"type":"changes"}' }));
    const message = await received;
    const gone = closed(ws);
    await fetch(`${server.url}/v1/@connections/${encodeURIComponent(connectionId)}`, { method: 'DELETE' });
    await gone;
    const after = sdk.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'late' }));
    // Assess
    expect(message).toBe('{"type":"changes"}');
    await expect(after).rejects.toBeInstanceOf(GoneException);
    expect(await eventually(() => functions.disconnect.events.length === 1)).toBe(true);
    expect(functions.disconnect.events[0].requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', connectionId, authorizer: { userId: 'user-1' } });
    sdk.destroy();
  });

  it('closes a connection idle for the idle timeout (ping frames do not count), and keeps one that sends data', async () => {
    // Prepare
    await start(400);
    const framesOnly = await connect(['tote-push.v1', 'good']);
    const talking = await connect(['tote-push.v1', 'good']);
    const timer = setInterval(() => {
      framesOnly.ws.ping();
      talking.ws.send(JSON.stringify({ action: 'ping' }));
    }, 100);
    // Act
    const code = await closed(framesOnly.ws);
    await new Promise((r) => setTimeout(r, 500));
    clearInterval(timer);
    // Assess
    expect(code).toBe(1001);
    expect(talking.ws.readyState).toBe(WebSocket.OPEN);
  });
});
