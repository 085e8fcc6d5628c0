/**
 * The change feed over HTTP: an owner's commits, moves and deletes come back in journal order from a
 * cursor, page by page; cursors are checked; files shared with a user reach that user's feed (the
 * share itself, later revisions, the revoke), and nobody else's files do.
 */
import type { ErrorBody } from '@contract/errors';
import { isFolderChange, type ChangesResponse, type FileChangeEntry, type FileMetadata } from '@contract/schemas';
import { api, type ApiAnswer } from '../harness/api';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS, TRACKER_TEST_TIMEOUT_MS } from '../harness/timeouts';
import { testFile, uploadFile } from '../harness/uploads';
import { createUser, type TestUser } from '../harness/users';
import { collaboratorsOf, revoke, share } from '../sharing/support';

let target: Target;
let owner: TestUser;
let viewer: TestUser;
beforeAll(async () => {
  target = await getTarget();
  [owner, viewer] = await Promise.all([createUser(target), createUser(target)]);
}, SETUP_TIMEOUT_MS);

function changes(user: TestUser, query: Record<string, string> = {}): Promise<ApiAnswer<ChangesResponse>> {
  const search = new URLSearchParams(query).toString();
  return api<ChangesResponse>(target, 'GET', `/changes${search ? `?${search}` : ''}`, { token: user.accessToken });
}

async function cursorNow(user: TestUser): Promise<string> {
  const now = await changes(user);
  if (now.status !== 200) throw new Error(`GET /changes answered ${now.status}: ${now.text}`);
  return now.json.cursor;
}

/** Every entry after `cursor`, following pages of `limit`; the pages and the final cursor too. */
async function drain(user: TestUser, cursor: string, limit = 1000) {
  const pages: ChangesResponse[] = [];
  for (;;) {
    const page = await changes(user, { cursor, limit: String(limit) });
    if (page.status !== 200) throw new Error(`GET /changes answered ${page.status}: ${page.text}`);
    pages.push(page.json);
    cursor = page.json.cursor;
    if (!page.json.hasMore) {
      // These scenarios change files one by one: a folder change among them would be a failure of its own.
      const entries = pages.flatMap((p) => p.entries).map((e): FileChangeEntry => {
        if (isFolderChange(e)) throw new Error(`unexpected folder change ${e.type} ${e.path}`);
        return e;
      });
      return { entries, pages, cursor };
    }
  }
}

function move(user: TestUser, file: FileMetadata, toPath: string) {
  return api<FileMetadata>(target, 'POST', `/files/${file.fileId}/move`, { token: user.accessToken, body: { toPath, expectedRevision: file.revision } });
}

describe('GET /changes', () => {
  test(
    'returns the owner’s puts, moves and deletes after the cursor, in order, one page at a time',
    async () => {
      // Prepare
      const start = await cursorNow(owner);
      const file = await uploadFile(target, owner, testFile('/feed/a.txt', []));
      const moved = await move(owner, file, '/feed/b.txt');
      await api(target, 'DELETE', `/files/${file.fileId}?expectedRevision=${moved.json.revision}`, { token: owner.accessToken });
      // Act
      const { entries, pages, cursor } = await drain(owner, start, 1);
      const idle = await changes(owner, { cursor });
      // Assess
      expect(entries.map((e) => [e.type, e.path, e.fromPath, e.revision])).toEqual([
        ['put', '/feed/a.txt', undefined, 1],
        ['move', '/feed/b.txt', '/feed/a.txt', 2],
        ['delete', '/feed/b.txt', undefined, 3],
      ]);
      expect(entries.every((e) => e.fileId === file.fileId && e.ownerId === owner.sub && e.shared === undefined)).toBe(true);
      expect(entries.map((e) => e.seq)).toEqual([entries[0].seq, entries[0].seq + 1, entries[0].seq + 2]);
      expect(pages.slice(0, 3).map((p) => p.hasMore)).toEqual([true, true, pages.length > 3]);
      expect(idle.json).toMatchObject({ entries: [], hasMore: false, cursor });
    },
    TRACKER_TEST_TIMEOUT_MS,
  );

  test('refuses a forged cursor and another user’s cursor with 400 INVALID_CURSOR', async () => {
    // Prepare
    const viewersCursor = await cursorNow(viewer);
    // Act
    const forged = await changes(owner, { cursor: 'bm90LWEtY3Vyc29y' });
    const foreign = await changes(owner, { cursor: viewersCursor });
    // Assess
    const codeOf = (answer: ApiAnswer<unknown>) => (answer.json as ErrorBody).error.code;
    expect([forged.status, codeOf(forged)]).toEqual([400, 'INVALID_CURSOR']);
    expect([foreign.status, codeOf(foreign)]).toEqual([400, 'INVALID_CURSOR']);
  });

  test(
    'brings a file shared with the user, its next revision, and its revoke, and never the owner’s other files',
    async () => {
      // Prepare
      const start = await cursorNow(viewer);
      const doc = await uploadFile(target, owner, testFile('/feed/shared/doc.txt', [16]));
      await uploadFile(target, owner, testFile('/feed/shared/private.txt', [16]));
      expect((await share(target, owner, doc.fileId, [viewer.email], 'viewer')).status).toBe(200);
      // Act
      const afterShare = await drain(viewer, start);
      const revised = await uploadFile(target, owner, testFile('/feed/shared/doc.txt', [24]));
      const afterRevision = await drain(viewer, afterShare.cursor);
      const collaborator = (await collaboratorsOf(target, owner, doc.fileId)).find((c) => c.email === viewer.email)!;
      expect((await revoke(target, owner, doc.fileId, collaborator.collaboratorId)).status).toBe(200);
      const afterRevoke = await drain(viewer, afterRevision.cursor);
      // Assess
      expect(afterShare.pages[0].shared).toEqual([
        expect.objectContaining({ file: expect.objectContaining({ fileId: doc.fileId, revision: 1 }), role: 'viewer', owner: { userId: owner.sub, email: owner.email } }),
      ]);
      expect(afterRevision.entries).toEqual([
        expect.objectContaining({ type: 'put', fileId: doc.fileId, revision: revised.revision, contentHash: revised.contentHash, shared: { owner: { userId: owner.sub, email: owner.email }, role: 'viewer' } }),
      ]);
      expect(afterRevision.pages[0].shared).toBeUndefined();
      expect(afterRevoke.pages[0].shared).toEqual([]);
      expect([...afterShare.entries, ...afterRevision.entries, ...afterRevoke.entries].every((e) => e.fileId === doc.fileId)).toBe(true);
    },
    TRACKER_TEST_TIMEOUT_MS * 2,
  );
});
