import './env';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as listFolder } from '../../../lambdas/api/list-folder';
import { handler as getMetadata } from '../../../lambdas/api/get-metadata';
import { apiEvent, base64urlAlias, call, FILE_ID, fileMetaItem, OWNER, serveItems, sha256, STRANGER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const folderItem = { pk: `NS#${OWNER}`, sk: 'PATH#/docs', kind: 'folder', path: '/Docs', name: 'Docs', gsi1pk: `DIR#${OWNER}#/`, gsi1sk: 'docs' };
const entry = (name: string, kind: 'file' | 'folder' = 'file') => ({
  pk: `NS#${OWNER}`,
  sk: `PATH#/docs/${name.toLowerCase()}`,
  gsi1pk: `DIR#${OWNER}#/docs`,
  gsi1sk: name.toLowerCase(),
  kind,
  path: `/Docs/${name}`,
  name,
  ...(kind === 'file'
    ? { fileId: `id-${name}`, size: 3, revision: 1, contentHash: sha256(name), updatedAt: '2026-01-01T00:00:00.000Z' }
    : {}),
});
const keyOf = (item: Record<string, unknown>) => ({ pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk });

const list = (query: Record<string, string>, sub?: string) => call(listFolder, apiEvent({ sub, query }));

describe('GET /folders', () => {
  const [alpha, beta, gamma] = [entry('alpha.txt'), entry('Beta', 'folder'), entry('gamma.txt')];

  it('pages with a cursor that resumes exactly after the last entry shown', async () => {
    serveItems(ddb, [folderItem]);
    ddb.on(QueryCommand).resolvesOnce({ Items: [alpha, beta, gamma] }).resolvesOnce({ Items: [gamma] });

    const first = await list({ path: '/docs', limit: '2' });
    const second = await list({ path: '/docs', limit: '2', cursor: first.body.cursor });

    expect(first.status).toBe(200);
    expect(first.body.path).toBe('/Docs');
    expect(first.body.entries).toEqual([
      { kind: 'file', name: 'alpha.txt', path: '/Docs/alpha.txt', fileId: 'id-alpha.txt', size: 3, revision: 1, contentHash: sha256('alpha.txt'), updatedAt: '2026-01-01T00:00:00.000Z' },
      { kind: 'folder', name: 'Beta', path: '/Docs/Beta' },
    ]);
    expect(first.body.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const [q1, q2] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(q1).toMatchObject({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': `DIR#${OWNER}#/docs` }, Limit: 3 });
    expect(q1.ExclusiveStartKey).toBeUndefined();
    expect(q2.ExclusiveStartKey).toEqual(keyOf(beta));
    expect(second.body.entries.map((e: { name: string }) => e.name)).toEqual(['gamma.txt']);
    expect(second.body.cursor).toBeUndefined();
  });

  it('lists the root without looking up a folder entry', async () => {
    ddb.on(QueryCommand).resolves({ Items: [folderItem] });

    const res = await list({});

    expect(res.body).toEqual({ path: '/', entries: [{ kind: 'folder', name: 'Docs', path: '/Docs' }] });
    expect(ddb.commandCalls(QueryCommand)[0].args[0].input.ExpressionAttributeValues).toEqual({ ':p': `DIR#${OWNER}#/` });
  });

  it('answers 400 INVALID_CURSOR for garbage and for cursors of another folder or another user', async () => {
    serveItems(ddb, [folderItem, { ...folderItem, pk: `NS#${STRANGER}` }]);
    const encode = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

    const garbage = await list({ path: '/docs', cursor: 'notacursor' });
    const otherFolder = await list({ path: '/docs', cursor: encode({ ...keyOf(alpha), gsi1pk: `DIR#${OWNER}#/` }) });
    const otherUser = await list({ path: '/docs', cursor: encode(keyOf(alpha)) }, STRANGER);
    const extraKey = await list({ path: '/docs', cursor: encode({ ...keyOf(alpha), ttl: '1' }) });
    const good = encode(keyOf(alpha));
    // Found by the fuzz suite: base64url decoding drops bits and characters it does not use, so other text than the service wrote passed.
    const respelled = await list({ path: '/docs', cursor: base64urlAlias(good) });

    for (const res of [garbage, otherFolder, otherUser, extraKey, respelled]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_CURSOR');
    }
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 400 VALIDATION_FAILED for a cursor with characters no cursor has', async () => {
    serveItems(ddb, [folderItem]);

    const res = await list({ path: '/docs', cursor: 'not a cursor\u0001' });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'query.cursor' } });
  });

  it('answers 404 for a folder that does not exist and 400 for a page size out of range', async () => {
    serveItems(ddb, []);

    const missing = await list({ path: '/nowhere' });
    const zero = await list({ limit: '0' });

    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect(zero.status).toBe(400);
    expect(zero.body.error.details.field).toBe('query.limit');
  });
});

describe('GET /files/{fileId} and GET /paths', () => {
  const fileId = FILE_ID;
  const meta = fileMetaItem({ path: '/Docs/alpha.txt', name: 'alpha.txt', status: 'deleted', contentRevision: 1, updatedAt: '2026-01-02T00:00:00.000Z' });

  it('shows its owner a deleted file as deleted, and a stranger nothing', async () => {
    serveItems(ddb, [meta]);

    const owner = await call(getMetadata, apiEvent({ params: { fileId } }));
    const stranger = await call(getMetadata, apiEvent({ sub: STRANGER, params: { fileId } }));

    expect(owner.status).toBe(200);
    const { pk: _pk, sk: _sk, contentRevision: _c, ...visible } = meta;
    expect(owner.body).toEqual(visible);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe('NOT_FOUND');
  });

  it('finds a file by path ignoring case, and says when the path is a folder', async () => {
    serveItems(ddb, [{ ...meta, status: 'uploaded' }, { ...entry('alpha.txt'), fileId }, folderItem]);

    const byPath = await call(getMetadata, apiEvent({ query: { path: '/DOCS/Alpha.TXT' } }));
    const folder = await call(getMetadata, apiEvent({ query: { path: '/docs' } }));

    expect(byPath.body).toMatchObject({ fileId, revision: 2, status: 'uploaded' });
    expect(folder.status).toBe(404);
    expect(folder.body.error.message).toBe('/Docs is a folder, not a file');
  });
});
