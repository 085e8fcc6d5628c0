/**
 * Issue 10, hole 3: a user deleted or disabled in the pool after signing in keeps a valid access token
 * until it expires; no route may serve it, and none may answer 5xx for it (PUT shares did: 500).
 * Real users in the real pool (cognito-local on the local runtime), deleted and disabled through the
 * admin API as an operator would.
 *
 * The account check trusts a token for LIMITS.accountCheckSeconds after it was issued (Cognito issues
 * tokens to active accounts only). The every-route sweeps use the user's own token re-signed by the
 * issuer with an `iat` older than that, which only the local runtime can mint; against AWS they skip.
 */
import { AdminDeleteUserCommand, AdminDisableUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ROUTES, routePath } from '@contract/routes';
import { api } from './harness/api';
import { agedToken } from './harness/jwt';
import { getTarget, type Target } from './harness/target';
import { TARGET_ENV } from './harness/target-env';
import { SETUP_TIMEOUT_MS } from './harness/timeouts';
import { testFile, uploadFile } from './harness/uploads';
import { cognitoClient, createUser, type TestUser } from './harness/users';

interface Subject {
  readonly user: TestUser;
  readonly fileId: string;
}

let target: Target;
let deleted: Subject;
let disabled: Subject;

/** A user with one file of its own, so routes about a file name a real one. */
async function subjectWithFile(name: string): Promise<Subject> {
  const user = await createUser(target);
  const file = await uploadFile(target, user, testFile(`/${name}.txt`, [64]));
  return { user, fileId: file.fileId };
}

beforeAll(async () => {
  target = await getTarget();
  [deleted, disabled] = await Promise.all([subjectWithFile('deleted'), subjectWithFile('disabled')]);
  const cognito = cognitoClient(target);
  try {
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: target.auth.userPoolId, Username: deleted.user.email }));
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: target.auth.userPoolId, Username: disabled.user.email }));
  } finally {
    cognito.destroy();
  }
}, SETUP_TIMEOUT_MS);

const authedRoutes = Object.entries(ROUTES).filter(([, route]) => route.auth);
const paramsOf = (subject: Subject) => ({ fileId: subject.fileId, uploadId: '0'.repeat(32), collaboratorId: 'c-1', revision: '1' });
const call = (route: (typeof authedRoutes)[number][1], subject: Subject, token: string) =>
  api(target, route.method, routePath(route, paramsOf(subject)), {
    token,
    ...(route.method === 'POST' || route.method === 'PUT' ? { body: { emails: ['someone@example.com'], role: 'viewer' } } : {}),
  });

// First, while the token is still inside the trust window: the route itself meets the deleted owner.
test('a deleted owner sharing its own file with a fresh token gets 401 ACCOUNT_DELETED, not 500', async () => {
  // Act
  const answer = await api(target, 'PUT', routePath(ROUTES.shareFile, { fileId: deleted.fileId }), {
    token: deleted.user.accessToken,
    body: { emails: ['someone@example.com'], role: 'viewer' },
  });

  // Assess
  expect(answer.status).toBe(401);
  expect(answer.json).toMatchObject({ error: { code: 'ACCOUNT_DELETED' } });
});

const localOnly = process.env[TARGET_ENV.localRuntime] ? describe : describe.skip;

localOnly('every route refuses an account removed after its token was issued', () => {
  test.each(authedRoutes)('%s answers 401 ACCOUNT_DELETED to a deleted user', async (_, route) => {
    // Act
    const answer = await call(route, deleted, agedToken(deleted.user.accessToken));

    // Assess
    expect({ status: answer.status, body: answer.json }).toMatchObject({ status: 401, body: { error: { code: 'ACCOUNT_DELETED' } } });
  });

  test.each(authedRoutes)('%s answers 403 ACCOUNT_DISABLED to a disabled user', async (_, route) => {
    // Act
    const answer = await call(route, disabled, agedToken(disabled.user.accessToken));

    // Assess
    expect({ status: answer.status, body: answer.json }).toMatchObject({ status: 403, body: { error: { code: 'ACCOUNT_DISABLED' } } });
  });

  test('the same aged token of an active user passes (the refusals above are the account, not the token)', async () => {
    // Prepare
    const active = await createUser(target);

    // Act
    const answer = await api(target, 'GET', '/folders?path=%2F', { token: agedToken(active.accessToken) });

    // Assess
    expect(answer.status).toBe(200);
  });
});
