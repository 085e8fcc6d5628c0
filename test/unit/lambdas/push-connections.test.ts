/**
 * The push channel's $connect authorizer and routes: access tokens of the CLI's and the web app's clients only
 * (ID tokens, other clients, forged, expired and missing tokens are refused with "Unauthorized", which
 * API Gateway answers 401), accounts deleted since the token was issued refused the same way and
 * disabled ones with a Deny policy (403), as the HTTP routes' account check decides (the pool mocked),
 * the connection recorded under the verified user with an expiry past
 * API Gateway's limit, forgotten on $disconnect, and pings answered.
 */
import './env';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AdminGetUserCommand, CognitoIdentityProviderClient, UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { LIMITS } from '@contract/limits';
import { PUSH } from '@contract/push';
import { handler as authorize } from '../../../lambdas/push/authorize';
import { handler as connect } from '../../../lambdas/push/connect';
import { handler as disconnect } from '../../../lambdas/push/disconnect';
import { handler as ping } from '../../../lambdas/push/ping';
import type { SocketEvent } from '../../../lambdas/shared/socket';
import { signJwt, strangerKey } from '../../integration/harness/jwt';
import { OWNER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
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
beforeEach(() => {
  ddb.reset();
  cognito.reset();
  cognito.on(AdminGetUserCommand).resolves({ Enabled: true });
});

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

  describe('account check (the HTTP routes\', domain/account-check.ts)', () => {
    /** Issued before the check's window: the token alone no longer vouches for the account. */
    const oldToken = (sub: string) => `${PUSH.protocol}, ${token({ sub, iat: Math.floor(Date.now() / 1000) - LIMITS.accountCheckSeconds - 60 })}`;

    it('refuses an account deleted since its token was issued with Unauthorized (401, as ACCOUNT_DELETED)', async () => {
      // Prepare
      const deleted = 'dddddddd-0000-4000-8000-000000000001';
      cognito.on(AdminGetUserCommand, { Username: deleted }).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
      // Act
      const outcome = authorize(authorizerEvent(oldToken(deleted)));
      // Assess
      await expect(outcome).rejects.toThrow(/^Unauthorized$/);
    });

    it('denies an account disabled since its token was issued (403, as ACCOUNT_DISABLED)', async () => {
      // Prepare
      const disabled = 'dddddddd-0000-4000-8000-000000000002';
      cognito.on(AdminGetUserCommand, { Username: disabled }).resolves({ Enabled: false });
      // Act
      const result = await authorize(authorizerEvent(oldToken(disabled)));
      // Assess
      expect(result).toEqual({
        principalId: disabled,
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }] },
      });
    });

    it('asks the pool about an old token and allows an active account; a fresh token is the pool\'s word', async () => {
      // Prepare
      const active = 'dddddddd-0000-4000-8000-000000000003';
      const fresh = 'dddddddd-0000-4000-8000-000000000004';
      // Act
      const results = [await authorize(authorizerEvent(oldToken(active))), await authorize(authorizerEvent(`${PUSH.protocol}, ${token({ sub: fresh })}`))];
      // Assess
      expect(results.map((r) => r.policyDocument.Statement[0].Effect)).toEqual(['Allow', 'Allow']);
      expect(cognito.commandCalls(AdminGetUserCommand).map((c) => c.args[0].input.Username)).toEqual([active]);
    });
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
