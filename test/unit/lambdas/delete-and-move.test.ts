import './env';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as deleteFile } from '../../../lambdas/api/delete-file';
import { handler as moveFile } from '../../../lambdas/api/move-file';
import { apiEvent, call, EDITOR, FILE_ID, fileMetaItem, OWNER, serveItems, serveQueries, shareItem, STRANGER, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const fileId = FILE_ID;
const items = [
  fileMetaItem(),
  { pk: `NS#${OWNER}`, sk: 'PATH#/docs/a.txt', kind: 'file', fileId, path: '/Docs/a.txt', name: 'a.txt' },
  { pk: `NS#${OWNER}`, sk: 'PATH#/docs/b.txt', kind: 'file', fileId: 'other', path: '/Docs/b.txt', name: 'b.txt' },
  { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 7 },
];
const written = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);

describe('DELETE /files/{fileId}', () => {
  it('tombstones the file at the next revision, frees its path, journals the delete and puts it in the trash', async () => {
    serveItems(ddb, items);
    serveQueries(ddb, []);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await call(deleteFile, apiEvent({ params: { fileId }, query: { expectedRevision: '2' } }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ fileId, status: 'deleted', revision: 3 });
    // RETENTION_DAYS is 30 in these tests.
    expect(Date.parse(res.body.restorableUntil) - Date.parse(res.body.updatedAt)).toBe(30 * 24 * 3600 * 1000);
    const [[, journal, file, revision, path, trash]] = written();
    expect(trash.Put).toMatchObject({
      Item: { pk: `TRASH#${OWNER}`, sk: `${res.body.updatedAt}~${fileId}#${fileId}`, fileId, path: '/Docs/a.txt', revision: 3, deletedBy: OWNER, formerShares: [] },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(journal.Put!.Item).toMatchObject({ sk: '000000000008', type: 'delete', fileId, path: '/Docs/a.txt', revision: 3 });
    expect(file.Put).toMatchObject({ Item: { status: 'deleted', revision: 3, contentRevision: 2 }, ExpressionAttributeValues: { ':expected': 2 } });
    expect(revision.Put!.Item).toMatchObject({ sk: 'REV#0000000003', status: 'deleted' });
    expect(path.Delete).toMatchObject({ Key: { pk: `NS#${OWNER}`, sk: 'PATH#/docs/a.txt' }, ConditionExpression: 'fileId = :fileId' });
  });

  it('answers 409 for a stale revision and 404 for a stranger', async () => {
    serveItems(ddb, items);

    const stale = await call(deleteFile, apiEvent({ params: { fileId }, query: { expectedRevision: '1' } }));
    const stranger = await call(deleteFile, apiEvent({ sub: STRANGER, params: { fileId } }));

    expect(stale.body.error).toMatchObject({ code: 'REVISION_CONFLICT', details: { currentRevision: 2 } });
    expect(stranger.status).toBe(404);
    expect(written()).toHaveLength(0);
  });
});

describe('DELETE /files/{fileId} of a shared file', () => {
  const shares = [shareItem(EDITOR, 'editor'), shareItem(VIEWER, 'viewer')];

  it('ends its shares in the same transaction, then sweeps whatever the index shows since', async () => {
    serveItems(ddb, [...items, ...shares]);
    // The index shows the two shares while planning; after the commit, one more that it had not shown yet.
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: shares })
      .resolves({ Items: [shareItem(STRANGER, 'viewer')] });
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});

    const res = await call(deleteFile, apiEvent({ params: { fileId } }));

    expect(res.status).toBe(200);
    const [tx] = written();
    expect(tx.slice(6).map((i) => i.Delete)).toEqual([
      { TableName: 'SharedFiles', Key: { pk: `USER#${EDITOR}`, sk: `FILE#${fileId}` } },
      { TableName: 'SharedFiles', Key: { pk: `USER#${VIEWER}`, sk: `FILE#${fileId}` } },
    ]);
    expect(ddb.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({ TableName: 'SharedFiles', IndexName: 'byFile' });
    expect(ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems)).toEqual([
      { SharedFiles: [{ DeleteRequest: { Key: { pk: `USER#${STRANGER}`, sk: `FILE#${fileId}` } } }] },
    ]);
  });

  it('keeps a transaction within 100 items, sweeping the shares that did not fit', async () => {
    const many = Array.from({ length: 120 }, (_, i) => shareItem(`user-${i}`, 'viewer'));
    serveItems(ddb, items);
    ddb.on(QueryCommand).resolvesOnce({ Items: many }).resolves({ Items: many.slice(95) });
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});

    await call(deleteFile, apiEvent({ params: { fileId } }));

    expect(written()[0]).toHaveLength(100);
    const swept = ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems!.SharedFiles);
    expect(swept).toHaveLength(25);
  });

  it.each([
    ['an editor', EDITOR],
    ['a viewer', VIEWER],
  ])('is refused to %s with 403, as is a move', async (_who, sub) => {
    serveItems(ddb, [...items, ...shares]);

    const del = await call(deleteFile, apiEvent({ sub, params: { fileId } }));
    const move = await call(moveFile, apiEvent({ sub, params: { fileId }, body: { toPath: '/mine.txt' } }));

    expect([del.status, move.status]).toEqual([403, 403]);
    expect(del.body.error.code).toBe('FORBIDDEN');
    expect(written()).toHaveLength(0);
  });
});

describe('POST /files/{fileId}/move', () => {
  it('moves the path entry, creates the target folders and journals where it came from', async () => {
    serveItems(ddb, items);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await call(moveFile, apiEvent({ params: { fileId }, body: { toPath: '/Archive/A.txt', expectedRevision: 2 } }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ fileId, path: '/Archive/A.txt', name: 'A.txt', revision: 3 });
    const [tx] = written();
    expect(tx[1].Put!.Item).toMatchObject({ type: 'move', path: '/Archive/A.txt', fromPath: '/Docs/a.txt', revision: 3 });
    expect(tx[4].Delete!.Key).toEqual({ pk: `NS#${OWNER}`, sk: 'PATH#/docs/a.txt' });
    expect(tx[5].Put!.Item).toMatchObject({ sk: 'PATH#/archive/a.txt', gsi1pk: `DIR#${OWNER}#/archive`, path: '/Archive/A.txt' });
    expect(tx[6].Update!.Key).toEqual({ pk: `NS#${OWNER}`, sk: 'PATH#/archive' });
    expect(tx).toHaveLength(7);
  });

  it('renames in place when only the case changes', async () => {
    serveItems(ddb, items);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await call(moveFile, apiEvent({ params: { fileId }, body: { toPath: '/docs/A.TXT' } }));

    expect(res.body.path).toBe('/docs/A.TXT');
    const [tx] = written();
    expect(tx.some((i) => i.Delete)).toBe(false);
    expect(tx[4].Put!.Item).toMatchObject({ sk: 'PATH#/docs/a.txt', path: '/docs/A.TXT' });
  });

  it('answers 409 PATH_CONFLICT when the target is taken or inside the file itself', async () => {
    serveItems(ddb, items);

    const taken = await call(moveFile, apiEvent({ params: { fileId }, body: { toPath: '/DOCS/B.txt' } }));
    const inside = await call(moveFile, apiEvent({ params: { fileId }, body: { toPath: '/Docs/a.txt/b.txt' } }));

    expect(taken.body.error).toMatchObject({ code: 'PATH_CONFLICT', details: { path: '/Docs/b.txt' } });
    expect(inside.body.error.code).toBe('PATH_CONFLICT');
    expect(written()).toHaveLength(0);
  });
});
