/**
 * The API's front door as API Gateway keeps it: health is public and says where to sign in, unknown
 * routes and oversized bodies are refused by the gateway itself with its own bodies.
 */
import { api } from './harness/api';
import { signedInUser } from './harness/fixture';

const fixture = signedInUser();

test('health answers without a token and names the user pool to sign in with and the push channel', async () => {
  // Act
  const answer = await api(fixture.target, 'GET', '/health');

  // Assess
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({
    status: 'ok',
    auth: expect.objectContaining({
      region: expect.any(String),
      userPoolId: expect.any(String),
      userPoolClientId: expect.any(String),
    }),
    // The stack has a push channel: its WebSocket stage (wss:// on AWS, ws:// on the local runtime).
    push: { url: expect.stringMatching(/^wss?:\/\/[^/]+\/v1$/) },
  });
  if (fixture.target.local) {
    expect(answer.json).toMatchObject({
      auth: { userPoolId: fixture.target.local.userPoolId, cognitoEndpoint: fixture.target.local.cognitoEndpoint },
    });
  }
});

test('a route the API does not define answers 404 Not Found from the gateway', async () => {
  // Act
  const answer = await api(fixture.target, 'GET', '/no-such-route', { token: fixture.user.accessToken });

  // Assess
  expect(answer.status).toBe(404);
  expect(answer.json).toEqual({ message: 'Not Found' });
});

test('a body over the 10 MB payload limit answers 413 before any function runs', async () => {
  // Act
  const answer = await api(fixture.target, 'POST', '/uploads', {
    token: fixture.user.accessToken,
    rawBody: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
  });

  // Assess
  expect(answer.status).toBe(413);
});
