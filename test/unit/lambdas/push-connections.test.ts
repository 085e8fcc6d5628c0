/**
 * The push channel's $connect authorizer and routes: access tokens of the CLI's and the web app's clients only
 * (ID tokens, other clients, forged, expired and missing tokens are refused with "Unauthorized", which
 * API Gateway answers 401), the connection recorded under the verified user with an expiry past
 * API Gateway's limit, forgotten on $disconnect, and pings answered.
 */
import './env';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { PUSH } from '@contract/push';
import { handler as authorize } from '../../../lambdas/push/authorize';
import { handler as connect } from '../../../lambdas/push/connect';
import { handler as disconnect } from '../../../lambdas/push/disconnect';
import { handler as ping } from '../../../lambdas/push/ping';
import type { SocketEvent } from '../../../lambdas/shared/socket';
import { signJwt, strangerKey } from '../../integration/harness/jwt';
import { OWNER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const ISSUER = `https://cognito-idp.${process.env.AWS_REGION}.amazonaws.com/${process.env.USER_POOL_ID}`;
const CLIENT_ID = process.env.USER_POOL_CLIENT_ID as string;
const WEB_CLIENT_ID = process.env.USER_POOL_WEB_CLIENT_ID as string;
const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/$connect';

const poolKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...poolKey.publicKey.export({ format: 'jwk' }), kid: 'pool-key', alg: 'RS256', use: 'sig' }] };

function token(claims: Record<string, unknown>, key: KeyObject = poolKey.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: OWNER, iss: ISSUER, token_use: 'access', client_id: CLIENT_ID, scope: 'aws.cognito.signin.user.admin', iat: now, exp: now + 3600, ...claims };
  return signJwt({ header: { alg: 'RS256', kid: 'pool-key', typ: 'JWT' }, payload }, key);
}

const authorizerEvent = (protocols?: string): APIGatewayRequestAuthorizerEvent =>
  ({
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    headers: protocols === undefined ? {} : { 'Sec-WebSocket-Protocol': protocols },
    requestContext: { routeKey: '$connect', eventType: 'CONNECT', connectionId: 'conn-1' },
  }) as unknown as APIGatewayRequestAuthorizerEvent;

/** `authorizer` null: an event no authorizer context came with. */
const socketEvent = (routeKey: string, authorizer: Record<string, unknown> | null = { principalId: OWNER, userId: OWNER }): SocketEvent =>
  ({ requestContext: { routeKey, connectionId: 'conn-1', ...(authorizer ? { authorizer } : {}) }, isBase64Encoded: false }) as unknown as SocketEvent;

beforeAll(() => {
  jest.spyOn(global, 'fetch').mockImplementation(async (input) => {
    if (String(input) !== `${ISSUER}/.well-known/jwks.json`) throw new Error(`unexpected fetch ${String(input)}`);
    return new Response(JSON.stringify(jwks), { status: 200, headers: { 'content-type': 'application/json' } });
  });
});
afterAll(() => jest.restoreAllMocks());
beforeEach(() => ddb.reset());

describe('$connect authorizer', () => {
  it.each([
    ['the CLI', CLIENT_ID],
    ['the web app', WEB_CLIENT_ID],
  ])('allows an access token of %s client, offered after the protocol, with the user in the context', async (_client, clientId) => {
    // Act
    const result = await authorize(authorizerEvent(`${PUSH.protocol}, ${token({ client_id: clientId })}`));
    // Assess
    expect(result).toEqual({
      principalId: OWNER,
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }] },
      context: { userId: OWNER },
    });
  });

  it.each([
    ['no subprotocol header', undefined],
    ['the protocol without a token', PUSH.protocol],
    ['a token without the protocol', token({})],
    ['an ID token', `${PUSH.protocol}, ${token({ token_use: 'id', aud: CLIENT_ID, client_id: undefined })}`],
    ['an access token of another app client', `${PUSH.protocol}, ${token({ client_id: 'some-other-client' })}`],
    ['a token of another issuer', `${PUSH.protocol}, ${token({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other' })}`],
    ['an expired token', `${PUSH.protocol}, ${token({ exp: Math.floor(Date.now() / 1000) - 60 })}`],
    ['a forged token', `${PUSH.protocol}, ${token({}, strangerKey())}`],
    ['a subject that is not a user id', `${PUSH.protocol}, ${token({ sub: '../../etc' })}`],
  ])('refuses %s with Unauthorized', async (_what, protocols) => {
    // Act
    const outcome = authorize(authorizerEvent(protocols));
    // Assess
    await expect(outcome).rejects.toThrow(/^Unauthorized$/);
  });
});

describe('push routes', () => {
  it('$connect records the connection under the authorized user, expiring after API Gateway ends it, and selects the protocol', async () => {
    // Prepare
    ddb.on(PutCommand).resolves({});
    const before = Math.floor(Date.now() / 1000);
    // Act
    const answer = await connect(socketEvent('$connect'));
    // Assess
    expect(answer).toEqual({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': PUSH.protocol } });
    const item = ddb.commandCalls(PutCommand)[0].args[0].input.Item as Record<string, unknown>;
    expect(item).toMatchObject({ pk: `CONN#${OWNER}`, sk: 'conn-1', userId: OWNER, connectionId: 'conn-1' });
    expect(item.ttl).toBeGreaterThan(before + PUSH.maxConnectionSeconds);
  });

  it('$disconnect forgets the connection', async () => {
    // Prepare
    ddb.on(DeleteCommand).resolves({});
    // Act
    await disconnect(socketEvent('$disconnect'));
    // Assess
    expect(ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key)).toEqual([{ pk: `CONN#${OWNER}`, sk: 'conn-1' }]);
  });

  it('refuses to record a connection no authorizer vouched for', async () => {
    // Act
    const outcome = connect(socketEvent('$connect', null));
    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers a ping with a pong', async () => {
    // Act
    const answer = await ping();
    // Assess
    expect(answer).toEqual({ statusCode: 200, body: '{"type":"pong"}' });
  });
});
