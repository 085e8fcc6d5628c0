/**
 * Sharing over HTTP against the user pool and tables of a running Tote: recipients resolved by
 * email, roles changed by sharing again, revocation taking effect on the next request, and deletion
 * ending every share. Addresses without an account: invitations.test.ts.
 */
import type { CollaboratorsResponse, FileMetadata } from '@contract/schemas';
import { api } from '../harness/api';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS, TRACKER_TEST_TIMEOUT_MS } from '../harness/timeouts';
import { sha256 } from '../harness/uploads';
import { createCast, revoke, share, sharedFile, sharedWith, type Cast } from './support';

let target: Target;
let cast: Cast;

beforeAll(async () => {
  target = await getTarget();
  cast = await createCast(target);
}, SETUP_TIMEOUT_MS);

const collaborators = async (fileId: string) =>
  (await api<CollaboratorsResponse>(target, 'GET', `/files/${fileId}/shares`, { token: cast.owner.accessToken })).json.collaborators;

describe('sharing by email', () => {
  let file: FileMetadata;
  beforeAll(async () => {
    file = await sharedFile(target, cast, '/sharing/by-email.txt', [1000]);
  }, SETUP_TIMEOUT_MS);

  it('lists each recipient once with their role, and the file in their list of shared files', async () => {
    // Act
    const again = await share(target, cast.owner, file.fileId, [cast.viewer.email, cast.viewer.email.toUpperCase()], 'viewer');
    const list = await sharedWith(target, cast.viewer);

    // Assess
    expect(again.json.collaborators.map((c) => c.email)).toEqual([cast.viewer.email]);
    expect((await collaborators(file.fileId)).map((c) => [c.email, c.role]).sort()).toEqual(
      [
        [cast.editor.email, 'editor'],
        [cast.viewer.email, 'viewer'],
      ].sort(),
    );
    expect(list).toEqual([
      {
        file: expect.objectContaining({ fileId: file.fileId, name: 'by-email.txt', revision: 1, size: 1000, status: 'uploaded' }),
        owner: { userId: cast.owner.sub, email: cast.owner.email },
        role: 'viewer',
        sharedAt: expect.any(String),
      },
    ]);
  });

  it('refuses to share a file with its owner', async () => {
    // Act
    const answer = await share(target, cast.owner, file.fileId, [cast.owner.email], 'editor');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { emails: [cast.owner.email] } } });
  });

  it('changes a role by sharing again, keeping when it was first shared', async () => {
    // Prepare
    const before = (await collaborators(file.fileId)).find((c) => c.email === cast.viewer.email)!;

    // Act
    const promoted = await share(target, cast.owner, file.fileId, [cast.viewer.email], 'editor');
    const upload = await api(target, 'POST', `/files/${file.fileId}/uploads`, {
      token: cast.viewer.accessToken,
      body: { size: 0, contentHash: sha256(Buffer.alloc(0)), chunks: [] },
    });

    // Assess
    expect(promoted.json.collaborators).toEqual([expect.objectContaining({ collaboratorId: before.collaboratorId, role: 'editor', sharedAt: before.sharedAt })]);
    expect(upload.status).toBe(200);
  });
});

describe('revoking', () => {
  it('refuses the former recipient from the next request on, and drops the file from their list', async () => {
    // Prepare
    const file = await sharedFile(target, cast, '/sharing/revoked.txt', [1000]);
    const before = await api(target, 'GET', `/files/${file.fileId}/download`, { token: cast.viewer.accessToken });
    const viewer = (await collaborators(file.fileId)).find((c) => c.email === cast.viewer.email)!;

    // Act
    const revoked = await revoke(target, cast.owner, file.fileId, viewer.collaboratorId);
    const again = await revoke(target, cast.owner, file.fileId, viewer.collaboratorId);

    // Assess
    expect(before.status).toBe(200);
    expect([revoked.json.revoked, again.json.revoked]).toEqual([true, false]);
    for (const path of [`/files/${file.fileId}`, `/files/${file.fileId}/download`]) {
      const answer = await api(target, 'GET', path, { token: cast.viewer.accessToken });
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    }
    expect((await sharedWith(target, cast.viewer)).map((e) => e.file.fileId)).not.toContain(file.fileId);
    expect((await collaborators(file.fileId)).map((c) => c.email)).toEqual([cast.editor.email]);
  }, TRACKER_TEST_TIMEOUT_MS);
});

describe('deleting a shared file', () => {
  it('ends every share of it', async () => {
    // Prepare
    const file = await sharedFile(target, cast, '/sharing/deleted.txt', [1000]);

    // Act
    const deleted = await api(target, 'DELETE', `/files/${file.fileId}`, { token: cast.owner.accessToken });

    // Assess
    expect(deleted.status).toBe(200);
    for (const recipient of [cast.editor, cast.viewer]) {
      expect((await api(target, 'GET', `/files/${file.fileId}`, { token: recipient.accessToken })).status).toBe(404);
      expect((await sharedWith(target, recipient)).map((e) => e.file.fileId)).not.toContain(file.fileId);
    }
    expect((await api(target, 'GET', `/files/${file.fileId}/shares`, { token: cast.owner.accessToken })).status).toBe(404);
  }, TRACKER_TEST_TIMEOUT_MS);
});
