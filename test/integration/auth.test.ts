/**
 * The JWT authorizer in front of every route but health: no token, a forged token, an expired token and
 * a token for another app client are all refused with API Gateway's 401 before any handler runs; an ID
 * token (genuine, but not an access token) with 403 and RFC 6750's `insufficient_scope` code, on every
 * route, because each route requires the scope only access tokens carry.
 */
import { ROUTES, routePath } from '@contract/routes';
import { api } from './harness/api';
import { cognitoLocalKey, decodeJwt, signJwt, strangerKey } from './harness/jwt';
import { TARGET_ENV } from './harness/target-env';
import { signedInUser } from './harness/fixture';

const fixture = signedInUser();

const UNAUTHORIZED = { message: 'Unauthorized' };
const listRoot = (token?: string, headers?: Record<string, string>) => api(fixture.target, 'GET', '/folders?path=%2F', { token, headers });
const localOnly = (name: string, fn: () => Promise<void>) =>
  (process.env[TARGET_ENV.localRuntime] ? test : test.skip)(name, fn);

test('a valid access token is let through', async () => {
  // Act
  const answer = await listRoot(fixture.user.accessToken);

  // Assess
  expect(answer.status).toBe(200);
});

test('API Gateway accepts the token without the Bearer prefix too', async () => {
  // Act
  const answer = await listRoot(undefined, { authorization: fixture.user.accessToken });

  // Assess
  expect(answer.status).toBe(200);
});

test('no token answers 401 Unauthorized', async () => {
  // Act
  const answer = await listRoot();

  // Assess
  expect(answer.status).toBe(401);
  expect(answer.json).toEqual(UNAUTHORIZED);
});

test('a garbage token answers 401', async () => {
  // Act
  const answer = await listRoot('not.a.jwt');

  // Assess
  expect(answer.status).toBe(401);
  expect(answer.json).toEqual(UNAUTHORIZED);
});

test('a token with genuine claims re-signed by another key answers 401', async () => {
  // Prepare: the real token's header (same kid) and claims, signed by a key the issuer never had
  const forged = signJwt(decodeJwt(fixture.user.accessToken), strangerKey());

  // Act
  const answer = await listRoot(forged);

  // Assess
  expect(answer.status).toBe(401);
  expect(answer.json).toEqual(UNAUTHORIZED);
});

describe('an ID token is refused on every route: issue 10, hole 4', () => {
  const routes = Object.entries(ROUTES).filter(([, route]) => route.auth);
  const params = { fileId: 'f-1', uploadId: '0'.repeat(32), userId: 'u-1', collaboratorId: 'c-1', revision: '1' };

  test.each(routes)('%s answers 403 insufficient_scope to an ID token', async (_, route) => {
    // Act
    const answer = await api(fixture.target, route.method, routePath(route, params), { token: fixture.user.idToken });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ message: 'Forbidden' });
    expect(answer.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  test('the same user\'s access token passes (the ID token is genuine, only its kind is wrong)', async () => {
    // Prepare
    const idClaims = decodeJwt(fixture.user.idToken).payload;

    // Act
    const withAccess = await listRoot(fixture.user.accessToken);

    // Assess
    expect(idClaims).toMatchObject({ token_use: 'id', sub: fixture.user.sub });
    expect(withAccess.status).toBe(200);
  });
});

localOnly('an access token re-signed without its scope answers 403 insufficient_scope', async () => {
  // Prepare
  const { header, payload } = decodeJwt(fixture.user.accessToken);
  const { scope: _scope, ...unscoped } = payload;
  const token = signJwt({ header, payload: unscoped }, cognitoLocalKey());

  // Act
  const answer = await listRoot(token);

  // Assess
  expect(answer.status).toBe(403);
  expect(answer.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
});

localOnly('an expired token signed by the issuer answers 401', async () => {
  // Prepare
  const { header, payload } = decodeJwt(fixture.user.accessToken);
  const past = Math.floor(Date.now() / 1000) - 3600;
  const expired = signJwt({ header, payload: { ...payload, iat: past - 3600, auth_time: past - 3600, exp: past } }, cognitoLocalKey());

  // Act
  const answer = await listRoot(expired);

  // Assess
  expect(answer.status).toBe(401);
  expect(answer.headers.get('www-authenticate')).toContain('invalid_token');
});

localOnly('a token the issuer signed for another app client answers 401', async () => {
  // Prepare
  const { header, payload } = decodeJwt(fixture.user.accessToken);
  const otherClient = signJwt({ header, payload: { ...payload, client_id: 'some-other-client' } }, cognitoLocalKey());

  // Act
  const answer = await listRoot(otherClient);

  // Assess
  expect(answer.status).toBe(401);
});

localOnly('a re-signed token is accepted when nothing but the signature changed (the checks above are real)', async () => {
  // Prepare
  const resigned = signJwt(decodeJwt(fixture.user.accessToken), cognitoLocalKey());

  // Act
  const answer = await listRoot(resigned);

  // Assess
  expect(answer.status).toBe(200);
});
