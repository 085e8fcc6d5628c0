/**
 * The push channel over the wire: who may connect (an access token only, of an account neither
 * deleted nor disabled), who hears what (the owner and the people a file is shared with; nobody
 * else; a revoked recipient nothing more about the file; an account disabled after it connected
 * nothing at all: its connection is closed). Absence is judged against a hint the same notifier run
 * sent to someone else, which proves the run happened, plus a margin.
 */
import { AdminDeleteUserCommand, AdminDisableUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { LIMITS } from '@contract/limits';
import { PUSH, pushProtocols } from '@contract/push';
import type { FileMetadata } from '@contract/schemas';
import { api } from '../harness/api';
import { agedToken, decodeJwt, signJwt, strangerKey } from '../harness/jwt';
import { getTarget, type Target } from '../harness/target';
import { TARGET_ENV } from '../harness/target-env';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { testFile, uploadFile } from '../harness/uploads';
import { cognitoClient, createUser, type TestUser } from '../harness/users';
import { collaboratorsOf, revoke, share, createCast, type Cast } from '../sharing/support';
import { connectOutcome, listen, type Listener } from './support';

/** How long after another recipient's hint a hint that was sent would surely have arrived too. */
const MARGIN_MS = 1_500;
/** An upload (tracker included), a share and connections, on a machine that may be loaded. */
const HINT_TEST_TIMEOUT_MS = 90_000;
/** How long one move's hint may take to reach its owner on a loaded machine. */
const HINT_WAIT_MS = 20_000;
/** The account check's trust window, then a move and its hint after it. */
const CLOSED_WITHIN_MS = LIMITS.accountCheckSeconds * 1000 + 2 * HINT_WAIT_MS;
const ACCOUNT_TEST_TIMEOUT_MS = CLOSED_WITHIN_MS + HINT_TEST_TIMEOUT_MS;

let target: Target;
let cast: Cast;
const listeners: Listener[] = [];
beforeAll(async () => {
  target = await getTarget();
  cast = await createCast(target);
}, SETUP_TIMEOUT_MS);
afterAll(() => listeners.forEach((l) => l.close()));

async function listenAs(token: string): Promise<Listener> {
  const listener = await listen(target, token);
  listeners.push(listener);
  return listener;
}

const move = (file: FileMetadata, toPath: string) =>
  api<FileMetadata>(target, 'POST', `/files/${file.fileId}/move`, { token: cast.owner.accessToken, body: { toPath, expectedRevision: file.revision } });

describe('push channel: connecting', () => {
  test.each([
    ['no token', () => undefined],
    ['the protocol alone', () => [PUSH.protocol]],
    ['a token that is not a JWT', () => pushProtocols('not-a-token')],
    ['an ID token', () => pushProtocols(cast.owner.idToken)],
    ['a forged access token', () => pushProtocols(signJwt(decodeJwt(cast.owner.accessToken), strangerKey()))],
  ])(
    'is refused with %s (401)',
    async (_what, protocols) => {
      // Act
      const outcome = await connectOutcome(target, protocols());
      // Assess
      expect(outcome).toBe(401);
    },
    SETUP_TIMEOUT_MS,
  );

  test(
    'is open to an access token, which selects the push protocol',
    async () => {
      // Act
      const outcome = await connectOutcome(target, pushProtocols(cast.stranger.accessToken));
      // Assess
      expect(outcome).toBe('open');
    },
    SETUP_TIMEOUT_MS,
  );
});

describe('push channel: hints', () => {
  test(
    'reach the owner and the recipients of a changed file, and not a stranger',
    async () => {
      // Prepare
      const file = await uploadFile(target, cast.owner, testFile('/push/shared.txt', [64]));
      expect((await share(target, cast.owner, file.fileId, [cast.editor.email], 'editor')).status).toBe(200);
      const [owner, editor, stranger] = await Promise.all([cast.owner, cast.editor, cast.stranger].map((u) => listenAs(u.accessToken)));
      const since = Date.now();
      // Act
      expect((await move(file, '/push/shared-moved.txt')).status).toBe(200);
      // Assess
      const ownerHint = await owner.nextHint(since);
      await editor.nextHint(since);
      await new Promise((r) => setTimeout(r, Math.max(0, ownerHint + MARGIN_MS - Date.now())));
      expect(stranger.hintsAfter(since)).toEqual([]);
    },
    HINT_TEST_TIMEOUT_MS,
  );

  test(
    'stop reaching a recipient once the share is revoked (after one about the revoke itself)',
    async () => {
      // Prepare
      const file = await uploadFile(target, cast.owner, testFile('/push/revoked.txt', [64]));
      expect((await share(target, cast.owner, file.fileId, [cast.viewer.email], 'viewer')).status).toBe(200);
      const { collaboratorId } = (await collaboratorsOf(target, cast.owner, file.fileId)).find((c) => c.email === cast.viewer.email)!;
      const [owner, viewer] = await Promise.all([cast.owner, cast.viewer].map((u) => listenAs(u.accessToken)));
      const beforeRevoke = Date.now();
      const revoked = await revoke(target, cast.owner, file.fileId, collaboratorId);
      expect({ status: revoked.status, revoked: revoked.json.revoked }).toEqual({ status: 200, revoked: true });
      await viewer.nextHint(beforeRevoke);
      await new Promise((r) => setTimeout(r, MARGIN_MS));
      const since = Date.now();
      // Act
      expect((await move(file, '/push/revoked-moved.txt')).status).toBe(200);
      // Assess
      const ownerHint = await owner.nextHint(since);
      await new Promise((r) => setTimeout(r, Math.max(0, ownerHint + MARGIN_MS - Date.now())));
      expect(viewer.hintsAfter(since)).toEqual([]);
    },
    HINT_TEST_TIMEOUT_MS,
  );
});

// Aged tokens are minted with cognito-local's key: local runtime only.
const localOnly = process.env[TARGET_ENV.localRuntime] ? describe : describe.skip;

localOnly('push channel: accounts (the HTTP routes\' account check)', () => {
  async function inPool(user: TestUser, command: 'delete' | 'disable'): Promise<void> {
    const cognito = cognitoClient(target);
    try {
      const input = { UserPoolId: target.auth.userPoolId, Username: user.email };
      await cognito.send(command === 'delete' ? new AdminDeleteUserCommand(input) : new AdminDisableUserCommand(input));
    } finally {
      cognito.destroy();
    }
  }

  test(
    'refuses a deleted account with 401 and a disabled one with 403, and lets the same aged token of an active one in',
    async () => {
      // Prepare
      const [deleted, disabled, active] = await Promise.all([1, 2, 3].map(() => createUser(target)));
      await inPool(deleted, 'delete');
      await inPool(disabled, 'disable');
      // Act
      const outcomes = await Promise.all([deleted, disabled, active].map((u) => connectOutcome(target, pushProtocols(agedToken(u.accessToken)))));
      // Assess
      expect(outcomes).toEqual([401, 403, 'open']);
    },
    HINT_TEST_TIMEOUT_MS,
  );

  test(
    'closes, instead of hinting, the connection of an account disabled after it connected',
    async () => {
      // Prepare: shared while the recipient had no connection, so the notifier has likely never asked
      // about it (a disabled account gets no grant: sharing finds active accounts only). Likely, not
      // surely: the grant's stream record may reach the notifier after the recipient connected, and
      // then the notifier trusts its word "active" for LIMITS.accountCheckSeconds, as every route does.
      const recipient = await createUser(target);
      const file = await uploadFile(target, cast.owner, testFile('/push/to-be-disabled.txt', [64]));
      expect((await share(target, cast.owner, file.fileId, [recipient.email], 'viewer')).status).toBe(200);
      const [owner, listener] = await Promise.all([listenAs(cast.owner.accessToken), listenAs(recipient.accessToken)]);
      await inPool(recipient, 'disable');
      const trustEnds = Date.now() + LIMITS.accountCheckSeconds * 1000;
      // Act: move the file until the connection is closed, each move once an owner's hint after it
      // arrived, the last one after the trust window.
      let closed = false;
      const closing = listener.closedByService(CLOSED_WITHIN_MS).then(() => (closed = true));
      closing.catch(() => undefined); // awaited below, after the moves
      let current = file;
      let lastMove = 0;
      for (let n = 0; !closed && lastMove <= trustEnds; n++) {
        lastMove = Date.now();
        const moved = await move(current, `/push/disabled-moved-${n}.txt`);
        expect(moved.status).toBe(200);
        current = moved.json;
        await owner.nextHint(lastMove, HINT_WAIT_MS);
        await new Promise((r) => setTimeout(r, MARGIN_MS));
      }
      // Assess: closed, and hinted at most while a word "active" taken before the disable could be
      // trusted (another notifier instance, with no word of its own, may close it sooner).
      await closing;
      expect(listener.hintsAfter(trustEnds + MARGIN_MS)).toEqual([]);
    },
    ACCOUNT_TEST_TIMEOUT_MS,
  );
});
