/**
 * Sharing with an address that has no account (issue 10, hole 6): the answer is the same as for an
 * address with one, the collaborators list shows both alike, and the share becomes the account's
 * when that address signs up and confirms (the user pool's post-confirmation trigger, which the local
 * runtime runs from the template). Invitations end with `unshare` and with the file. Each newcomer
 * signs up and confirms through the client with the code it was sent, as a person would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangesResponse, CollaboratorsResponse, FileMetadata } from '@contract/schemas';
import { createToteClient, type ToteClient } from '../../../client/src';
import { api, type ApiAnswer } from '../harness/api';
import { confirmationCode } from '../harness/mailbox';
import { getTarget, type Target } from '../harness/target';
import { TARGET_ENV } from '../harness/target-env';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { testFile, uploadFile } from '../harness/uploads';
import { createUser, signIn, type TestUser } from '../harness/users';
import { openDevice } from '../client/devices';
import { collaboratorsOf, share } from './support';

const localOnly = (name: string, fn: () => Promise<void>, timeout?: number) => (process.env[TARGET_ENV.localRuntime] ? test : test.skip)(name, fn, timeout);

let target: Target;
let owner: TestUser;
let bob: TestUser;

beforeAll(async () => {
  target = await getTarget();
  [owner, bob] = await Promise.all([createUser(target), createUser(target)]);
}, SETUP_TIMEOUT_MS);

/** A sign-up, its confirmation (a cold trigger function the first time) and the client's own requests, on a loaded machine. */
const SIGN_UP_TEST_TIMEOUT_MS = 2 * SETUP_TIMEOUT_MS;

const newcomerEmail = (name: string) => `${name}-${randomUUID()}@example.com`;

/** A person who signs up with the client, confirms with the code cognito-local "mailed", and logs in. */
async function signUpAndConfirm(email: string): Promise<{ client: ToteClient; password: string }> {
  const root = await mkdtemp(join(tmpdir(), 'tote-newcomer-'));
  const client = await createToteClient({ endpoint: target.apiUrl, configDir: join(root, 'config'), stateDir: join(root, 'state') });
  const password = `Tt1!${randomBytes(12).toString('base64url')}`;
  await client.signup(email, password);
  await client.confirm(email, await confirmationCode(target, email));
  await client.login(email, password);
  return { client, password };
}

/** An answer with every value that may differ between two recipients (address, id, time) replaced by its type. */
function shapeOf(answer: ApiAnswer<CollaboratorsResponse>): unknown {
  return {
    status: answer.status,
    body: {
      ...answer.json,
      collaborators: answer.json.collaborators.map((c) => ({ ...c, collaboratorId: typeof c.collaboratorId, email: typeof c.email, sharedAt: typeof c.sharedAt, updatedAt: typeof c.updatedAt })),
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

describe('an address without an account', () => {
  let file: FileMetadata;
  let content: Buffer;
  const carol = newcomerEmail('carol');

  beforeAll(async () => {
    const spec = testFile('/invitations/for-carol.bin', [5000]);
    content = spec.bytes;
    file = await uploadFile(target, owner, spec);
  }, SETUP_TIMEOUT_MS);

  test('is answered exactly as an address with an account: status, body and time', async () => {
    // Act: alternate, so load on the machine weighs on both alike
    const known: { ms: number; value: ApiAnswer<CollaboratorsResponse> }[] = [];
    const unknown: typeof known = [];
    for (let i = 0; i < 7; i++) {
      known.push(await timed(() => share(target, owner, file.fileId, [bob.email], 'viewer')));
      unknown.push(await timed(() => share(target, owner, file.fileId, [carol], 'viewer')));
    }

    // Assess
    expect(unknown.map((a) => shapeOf(a.value))).toEqual(known.map((a) => shapeOf(a.value)));
    expect(unknown[0].value.json.collaborators[0].email).toBe(carol);
    const [k, u] = [median(known.map((a) => a.ms)), median(unknown.map((a) => a.ms))];
    expect({ knownMs: Math.round(k), unknownMs: Math.round(u), within: Math.abs(u - k) <= Math.max(k, u) / 2 + 50 }).toMatchObject({ within: true });
  }, SETUP_TIMEOUT_MS);

  test('is listed among the collaborators exactly like an account', async () => {
    // Act
    const collaborators = await collaboratorsOf(target, owner, file.fileId);

    // Assess
    expect(collaborators.map((c) => c.email).sort()).toEqual([bob.email, carol].sort());
    expect(new Set(collaborators.map((c) => Object.keys(c).sort().join()))).toEqual(new Set([Object.keys(collaborators[0]).sort().join()]));
  }, SETUP_TIMEOUT_MS);

  localOnly(
    'gets the file once it signs up and confirms: in `shared`, in the change feed, and downloadable',
    async () => {
      // Prepare
      const invited = await share(target, owner, file.fileId, [carol], 'viewer');
      const idBefore = invited.json.collaborators[0].collaboratorId;

      // Act
      const { client, password } = await signUpAndConfirm(carol);
      const shared = await client.shared();
      const local = join(await mkdtemp(join(tmpdir(), 'tote-carol-')), 'got.bin');
      await client.get(`shared:${owner.email}/for-carol.bin`, local);
      client.close();
      const feed = await api<ChangesResponse>(target, 'GET', '/changes', { token: (await signIn(target, carol, password)).accessToken });

      // Assess
      expect(shared.map((e) => [e.file.fileId, e.owner.email, e.role])).toEqual([[file.fileId, owner.email, 'viewer']]);
      expect((await readFile(local)).equals(content)).toBe(true);
      expect(feed.json.shared?.map((e) => e.file.fileId)).toEqual([file.fileId]);
      const after = (await collaboratorsOf(target, owner, file.fileId)).find((c) => c.email === carol);
      expect(after).toMatchObject({ collaboratorId: idBefore, role: 'viewer' });
    },
    SIGN_UP_TEST_TIMEOUT_MS,
  );
});

describe('an invitation ends', () => {
  localOnly(
    'with `unshare`: the address signs up to the files still shared with it, not the one unshared',
    async () => {
      // Prepare
      const dave = newcomerEmail('dave');
      const [kept, unshared] = await Promise.all(['kept', 'unshared'].map((name) => uploadFile(target, owner, testFile(`/invitations/dave-${name}.txt`, [100]))));
      const { client: ownerClient } = await openDevice(target, owner, 'owner');
      for (const file of [kept, unshared]) expect((await share(target, owner, file.fileId, [dave], 'editor')).status).toBe(200);

      // Act
      const revoked = await ownerClient.unshare(unshared.path, [dave]);
      const { client } = await signUpAndConfirm(dave);

      // Assess
      expect(revoked.map((c) => c.email)).toEqual([dave]);
      expect(await collaboratorsOf(target, owner, unshared.fileId)).toEqual([]);
      expect((await client.shared()).map((e) => e.file.fileId)).toEqual([kept.fileId]);
      client.close();
      ownerClient.close();
    },
    SIGN_UP_TEST_TIMEOUT_MS,
  );

  localOnly(
    'when the file is deleted: the address signs up to the files still shared with it, not the deleted one',
    async () => {
      // Prepare
      const erin = newcomerEmail('erin');
      const [kept, deletedFile] = await Promise.all(['kept', 'deleted'].map((name) => uploadFile(target, owner, testFile(`/invitations/erin-${name}.txt`, [100]))));
      for (const file of [kept, deletedFile]) expect((await share(target, owner, file.fileId, [erin], 'viewer')).status).toBe(200);

      // Act
      const deleted = await api(target, 'DELETE', `/files/${deletedFile.fileId}`, { token: owner.accessToken });
      const { client } = await signUpAndConfirm(erin);

      // Assess
      expect(deleted.status).toBe(200);
      expect((await client.shared()).map((e) => e.file.fileId)).toEqual([kept.fileId]);
      client.close();
    },
    SIGN_UP_TEST_TIMEOUT_MS,
  );
});
