import './env';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as listChanges } from '../../../lambdas/api/list-changes';
import { OWNER_JUMP_ENTRIES } from '../../../lambdas/domain/change-feed';
import { apiEvent, base64urlAlias, call, FILE_ID, fileMetaItem, OWNER, serveItems, serveQueries, sha256, shareItem, STRANGER, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

type Item = Record<string, unknown>;
const OTHER_FILE = '0b7f3c1e-0000-4000-8000-000000000002';
const DAY = 24 * 3600;
const NOW_SECONDS = Math.floor(Date.now() / 1000);

const counter = (ownerId: string, seq: number): Item => ({ pk: `NS#${ownerId}`, sk: 'SEQ', seq });

/** A journal entry item of `ownerId`: `put` of revision `seq` of `fileId` unless told otherwise. */
const entry = (ownerId: string, seq: number, extra: Item = {}): Item => ({
  pk: `JRNL#${ownerId}`,
  sk: String(seq).padStart(12, '0'),
  seq,
  type: 'put',
  fileId: FILE_ID,
  path: `/Docs/v${seq}.txt`,
  revision: seq,
  size: seq,
  contentHash: sha256(String(seq)),
  at: '2026-01-05T00:00:00.000Z',
  ttl: NOW_SECONDS + 29 * DAY,
  ...extra,
});

/** Serves `items` to every read the feed makes (tables share one fake key space; prefixes keep them apart). */
function serve(items: Item[]): void {
  ddb.reset();
  serveItems(ddb, items);
  serveQueries(ddb, items);
}

const changes = (query: Record<string, string> = {}, sub: string = OWNER) => call(listChanges, apiEvent({ sub, query }));

/** A cursor for `sub` taken with `items` in place (the "from now" answer). */
async function cursorAt(items: Item[], sub: string = OWNER): Promise<string> {
  serve(items);
  const res = await changes({}, sub);
  expect(res.status).toBe(200);
  return res.body.cursor;
}

describe('GET /changes of the caller’s own files', () => {
  it('without a cursor answers "from now": a cursor, no entries, the (empty) shared set', async () => {
    // Prepare
    serve([counter(OWNER, 3), entry(OWNER, 1), entry(OWNER, 2), entry(OWNER, 3)]);
    // Act
    const res = await changes();
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ entries: [], hasMore: false, shared: [] });
    expect(typeof res.body.cursor).toBe('string');
  });

  it('reads the journal from the cursor in order, page by page, with moves and deletes as written', async () => {
    // Prepare
    const start = await cursorAt([counter(OWNER, 1), entry(OWNER, 1)]);
    const items = [
      counter(OWNER, 4),
      entry(OWNER, 1),
      entry(OWNER, 2),
      entry(OWNER, 3, { type: 'move', path: '/Archive/v2.txt', fromPath: '/Docs/v2.txt' }),
      entry(OWNER, 4, { type: 'delete', path: '/Archive/v2.txt' }),
    ];
    serve(items);
    // Act
    const first = await changes({ cursor: start, limit: '2' });
    const second = await changes({ cursor: first.body.cursor, limit: '2' });
    const idle = await changes({ cursor: second.body.cursor });
    // Assess
    expect(first.body.entries.map((e: Item) => [e.seq, e.type])).toEqual([
      [2, 'put'],
      [3, 'move'],
    ]);
    expect(first.body.hasMore).toBe(true);
    expect(first.body.entries[1]).toEqual({
      seq: 3,
      type: 'move',
      fileId: FILE_ID,
      ownerId: OWNER,
      path: '/Archive/v2.txt',
      name: 'v2.txt',
      fromPath: '/Docs/v2.txt',
      revision: 3,
      size: 3,
      contentHash: sha256('3'),
      at: '2026-01-05T00:00:00.000Z',
    });
    expect(second.body.entries.map((e: Item) => [e.seq, e.type])).toEqual([[4, 'delete']]);
    expect(second.body.hasMore).toBe(false);
    expect(idle.body).toMatchObject({ entries: [], hasMore: false, cursor: second.body.cursor });
    expect(first.body.shared).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', () => 'bm90IEpTT04'],
    ['shaped wrong', () => Buffer.from(JSON.stringify({ v: 1, s: 1 })).toString('base64url')],
  ])('answers 400 INVALID_CURSOR for a cursor %s', async (_, cursor) => {
    // Prepare
    serve([counter(OWNER, 1)]);
    // Act
    const res = await changes({ cursor: cursor() });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CURSOR');
  });

  it('answers 400 INVALID_CURSOR for a good cursor spelled otherwise than it was handed out (found by the fuzz suite)', async () => {
    // Prepare
    const good = await cursorAt([counter(OWNER, 2)]);
    serve([counter(OWNER, 2)]);
    // Act
    const asHandedOut = await changes({ cursor: good });
    const respelled = await changes({ cursor: base64urlAlias(good) });
    // Assess
    expect(asHandedOut.status).toBe(200);
    expect([respelled.status, respelled.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('answers 400 INVALID_CURSOR for another user’s cursor and for one ahead of the journal', async () => {
    // Prepare
    const strangers = await cursorAt([counter(STRANGER, 2)], STRANGER);
    const ahead = await cursorAt([counter(OWNER, 9)]);
    serve([counter(OWNER, 2)]);
    // Act
    const foreign = await changes({ cursor: strangers });
    const future = await changes({ cursor: ahead });
    // Assess
    expect([foreign.status, foreign.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    expect([future.status, future.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('answers 410 CURSOR_RESET when the entries after the cursor were trimmed', async () => {
    // Prepare
    const old = await cursorAt([counter(OWNER, 2)]);
    serve([counter(OWNER, 6), entry(OWNER, 5), entry(OWNER, 6)]);
    // Act
    const res = await changes({ cursor: old });
    // Assess
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('CURSOR_RESET');
    expect(res.body.error.message).toMatch(/list the folders again/);
  });

  it('answers 410 CURSOR_RESET when the next entry is past its retention but not deleted yet', async () => {
    // Prepare
    const old = await cursorAt([counter(OWNER, 1)]);
    serve([counter(OWNER, 2), entry(OWNER, 2, { ttl: NOW_SECONDS - 60 })]);
    // Act
    const res = await changes({ cursor: old });
    // Assess
    expect(res.status).toBe(410);
  });
});

describe('GET /changes of files shared with the caller', () => {
  const grant = shareItem(VIEWER, 'viewer');
  const sharedFile = fileMetaItem();

  it('delivers the owner’s entries of the shared file only, marked with owner and role', async () => {
    // Prepare
    const start = await cursorAt([grant, sharedFile, counter(OWNER, 1), entry(OWNER, 1)], VIEWER);
    serve([
      grant,
      sharedFile,
      counter(OWNER, 3),
      entry(OWNER, 1),
      entry(OWNER, 2, { fileId: OTHER_FILE, path: '/Private/secret.txt' }),
      entry(OWNER, 3),
    ]);
    // Act
    const res = await changes({ cursor: start }, VIEWER);
    const again = await changes({ cursor: res.body.cursor }, VIEWER);
    // Assess
    expect(res.body.entries).toHaveLength(1);
    expect(res.body.entries[0]).toMatchObject({
      seq: 3,
      fileId: FILE_ID,
      ownerId: OWNER,
      shared: { owner: { userId: OWNER, email: 'owner@example.com' }, role: 'viewer' },
    });
    expect(res.body.shared).toBeUndefined();
    expect(again.body.entries).toEqual([]);
  });

  it('sends the whole shared set when a file was shared since the cursor, and again after a revoke', async () => {
    // Prepare
    const start = await cursorAt([counter(OWNER, 1)], VIEWER);
    serve([grant, sharedFile, counter(OWNER, 1)]);
    const afterShare = await changes({ cursor: start }, VIEWER);
    serve([sharedFile, counter(OWNER, 1)]);
    // Act
    const afterRevoke = await changes({ cursor: afterShare.body.cursor }, VIEWER);
    // Assess
    expect(afterShare.body.shared).toEqual([
      expect.objectContaining({ file: expect.objectContaining({ fileId: FILE_ID, revision: 2 }), role: 'viewer' }),
    ]);
    expect(afterRevoke.body.shared).toEqual([]);
  });

  it('jumps over an owner journal far ahead of the cursor, sending the shared set instead of scanning it', async () => {
    // Prepare
    const start = await cursorAt([grant, sharedFile, counter(OWNER, 1)], VIEWER);
    serve([grant, sharedFile, counter(OWNER, 2 + OWNER_JUMP_ENTRIES)]);
    // Act
    const res = await changes({ cursor: start }, VIEWER);
    const next = await changes({ cursor: res.body.cursor }, VIEWER);
    // Assess
    expect(res.body.entries).toEqual([]);
    expect(res.body.shared).toHaveLength(1);
    expect(next.body).toMatchObject({ entries: [], hasMore: false });
    expect(next.body.shared).toBeUndefined();
  });

  it('never resets the caller’s feed for an owner journal that expired: it sends the shared set', async () => {
    // Prepare
    const start = await cursorAt([grant, sharedFile, counter(OWNER, 1)], VIEWER);
    serve([grant, sharedFile, counter(OWNER, 5), entry(OWNER, 4), entry(OWNER, 5)]);
    // Act
    const res = await changes({ cursor: start }, VIEWER);
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.shared).toHaveLength(1);
  });
});
