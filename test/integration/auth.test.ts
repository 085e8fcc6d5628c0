/**
 * The JWT authorizer in front of every route but health: no token, a forged token, an expired token and
 * a token for another app client are all refused with API Gateway's 401 before any handler runs.
 */
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
