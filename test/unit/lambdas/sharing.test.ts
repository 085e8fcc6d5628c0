import './env';
import { CognitoIdentityProviderClient, ListUsersCommand, type ListUsersCommandInput, type UserType } from '@aws-sdk/client-cognito-identity-provider';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as listCollaborators } from '../../../lambdas/api/list-collaborators';
import { handler as listShared } from '../../../lambdas/api/list-shared';
import { handler as revokeShare } from '../../../lambdas/api/revoke-share';
import { handler as shareFile } from '../../../lambdas/api/share-file';
import { apiEvent, call, EDITOR, FILE_ID, fileMetaItem, OWNER, serveItems, serveQueries, shareItem, STRANGER, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);

/** The user pool: each account's email, sub and status. */
const ACCOUNTS: { email: string; sub: string; status?: string }[] = [
  { email: 'owner@example.com', sub: OWNER },
  { email: 'Editor@Example.com', sub: EDITOR },
  { email: 'viewer@example.com', sub: VIEWER },
  { email: 'pending@example.com', sub: STRANGER, status: 'UNCONFIRMED' },
];

function servePool(): void {
  cognito.on(ListUsersCommand).callsFake((input: ListUsersCommandInput) => {
    const [, name, value] = /^(\w+) = "(.*)"$/.exec(input.Filter ?? '')!;
    const users: UserType[] = ACCOUNTS.filter((a) => (name === 'sub' ? a.sub : a.email) === value).map((a) => ({
      Username: a.sub,
      Enabled: true,
      UserStatus: (a.status ?? 'CONFIRMED') as UserType['UserStatus'],
      Attributes: [
        { Name: 'sub', Value: a.sub },
        { Name: 'email', Value: a.email },
      ],
    }));
    return { Users: users };
  });
}

beforeEach(() => {
  ddb.reset();
  cognito.reset();
  servePool();
});

type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;
const transactions = (): Items[] => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
const filters = () => cognito.commandCalls(ListUsersCommand).map((c) => c.args[0].input.Filter);

const share = (body: unknown, sub?: string) => call(shareFile, apiEvent({ sub, params: { fileId: FILE_ID }, body }));
const shared = [shareItem(EDITOR, 'editor'), shareItem(VIEWER, 'viewer')];

describe('PUT /files/{fileId}/shares', () => {
  it('shares with each address once, resolved through the user pool, guarded on the file being live', async () => {
    serveItems(ddb, [fileMetaItem()]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await share({ emails: ['viewer@example.com', 'VIEWER@example.com', 'Editor@Example.com'], role: 'viewer' });

    expect(res.status).toBe(200);
    expect(res.body.collaborators).toEqual([
      expect.objectContaining({ userId: VIEWER, email: 'viewer@example.com', role: 'viewer', sharedBy: OWNER }),
      expect.objectContaining({ userId: EDITOR, email: 'Editor@Example.com', role: 'viewer' }),
    ]);
    expect(filters().sort()).toEqual([`email = "Editor@Example.com"`, `email = "viewer@example.com"`, `sub = "${OWNER}"`]);
    const [[guard, ...puts]] = transactions();
    expect(guard.ConditionCheck).toMatchObject({
      TableName: 'FileMetadata',
      Key: { pk: `FILE#${FILE_ID}`, sk: 'META' },
      ConditionExpression: 'ownerId = :owner AND #status = :uploaded',
      ExpressionAttributeValues: { ':owner': OWNER, ':uploaded': 'uploaded' },
    });
    expect(puts.map((p) => p.Put!.Item)).toEqual([
      expect.objectContaining({ pk: `USER#${VIEWER}`, sk: `FILE#${FILE_ID}`, gsi1pk: `FILE#${FILE_ID}`, gsi1sk: `USER#${VIEWER}`, ownerEmail: 'owner@example.com' }),
      expect.objectContaining({ pk: `USER#${EDITOR}`, role: 'viewer', recipientEmail: 'Editor@Example.com' }),
    ]);
    expect(puts.every((p) => p.Put!.TableName === 'SharedFiles')).toBe(true);
  });

  it('changes the role of an existing share and keeps the date it was first shared', async () => {
    serveItems(ddb, [fileMetaItem(), shareItem(VIEWER, 'viewer')]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await share({ emails: ['viewer@example.com'], role: 'editor' });

    expect(res.body.collaborators).toEqual([expect.objectContaining({ role: 'editor', sharedAt: '2026-01-03T00:00:00.000Z' })]);
    expect(res.body.collaborators[0].updatedAt > '2026-01-03T00:00:00.000Z').toBe(true);
    expect(transactions()[0][1].Put!.Item).toMatchObject({ role: 'editor', sharedAt: '2026-01-03T00:00:00.000Z' });
  });

  it('finds an address typed in another case than it was signed up with', async () => {
    serveItems(ddb, [fileMetaItem()]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await share({ emails: ['Viewer@Example.COM'], role: 'viewer' });

    expect(res.body.collaborators[0].userId).toBe(VIEWER);
    expect(filters()).toEqual(expect.arrayContaining(['email = "Viewer@Example.COM"', 'email = "viewer@example.com"']));
  });

  it('shares with nobody when any address has no account, naming every unknown one', async () => {
    serveItems(ddb, [fileMetaItem()]);

    const res = await share({ emails: ['viewer@example.com', 'nobody@example.com', 'pending@example.com'], role: 'viewer' });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_RECIPIENTS', details: { emails: ['nobody@example.com', 'pending@example.com'] } });
    expect(res.body.error.message).toContain('nobody@example.com, pending@example.com');
    expect(transactions()).toHaveLength(0);
  });

  it('refuses to share a file with its owner, naming the address', async () => {
    serveItems(ddb, [fileMetaItem()]);

    const res = await share({ emails: ['viewer@example.com', 'owner@example.com'], role: 'editor' });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body.emails', emails: ['owner@example.com'] } });
    expect(transactions()).toHaveLength(0);
  });

  it.each([
    [EDITOR, 403, 'FORBIDDEN'],
    [VIEWER, 403, 'FORBIDDEN'],
    [STRANGER, 404, 'NOT_FOUND'],
  ])('answers %s with %i before asking the user pool anything', async (sub, status, code) => {
    serveItems(ddb, [fileMetaItem(), ...shared]);

    const res = await share({ emails: ['viewer@example.com'], role: 'viewer' }, sub);

    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('answers 404 when the file is deleted while the share is being written', async () => {
    // Read 1 authorizes, read 2 plans the transaction, which the guard then refuses; read 3 finds the file deleted.
    let reads = 0;
    serveItems(ddb, []);
    ddb.on(GetCommand).callsFake(() => ({ Item: fileMetaItem(++reads > 2 ? { status: 'deleted', revision: 3 } : {}) }));
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );

    const res = await share({ emails: ['viewer@example.com'], role: 'viewer' });

    expect(res.status).toBe(404);
    expect(transactions()).toHaveLength(1);
  });

  it.each([
    [{ emails: [], role: 'viewer' }, 'body.emails'],
    [{ emails: ['not-an-address'], role: 'viewer' }, 'body.emails[0]'],
    [{ emails: ['a"b@example.com'], role: 'viewer' }, 'body.emails[0]'],
    [{ emails: ['a@example.com'], role: 'owner' }, 'body.role'],
  ])('refuses %j naming %s', async (body, field) => {
    const res = await share(body);

    expect(res.status).toBe(400);
    expect(res.body.error.details.field).toBe(field);
  });
});

describe('GET /files/{fileId}/shares', () => {
  it("lists the file's collaborators by email to its owner", async () => {
    serveItems(ddb, [fileMetaItem()]);
    serveQueries(ddb, [...shared, shareItem(EDITOR, 'editor', { fileId: 'another-file' })]);

    const res = await call(listCollaborators, apiEvent({ params: { fileId: FILE_ID } }));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      fileId: FILE_ID,
      collaborators: [
        { userId: EDITOR, email: 'editor@example.com', role: 'editor', sharedBy: OWNER, sharedAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z' },
        { userId: VIEWER, email: 'viewer@example.com', role: 'viewer', sharedBy: OWNER, sharedAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z' },
      ],
    });
  });

  it.each([
    [EDITOR, 403],
    [VIEWER, 403],
    [STRANGER, 404],
  ])('answers %s with %i', async (sub, status) => {
    serveItems(ddb, [fileMetaItem(), ...shared]);

    const res = await call(listCollaborators, apiEvent({ sub, params: { fileId: FILE_ID } }));

    expect(res.status).toBe(status);
  });
});

describe('DELETE /files/{fileId}/shares/{userId}', () => {
  const revoke = (userId: string, sub?: string) => call(revokeShare, apiEvent({ sub, params: { fileId: FILE_ID, userId } }));

  it('ends the share, and says whether there was one', async () => {
    serveItems(ddb, [fileMetaItem()]);
    ddb.on(DeleteCommand).resolvesOnce({ Attributes: shareItem(VIEWER, 'viewer') }).resolves({});

    const first = await revoke(VIEWER);
    const again = await revoke(VIEWER);

    expect(first.body).toEqual({ fileId: FILE_ID, userId: VIEWER, revoked: true });
    expect(again.body).toEqual({ fileId: FILE_ID, userId: VIEWER, revoked: false });
    expect(ddb.commandCalls(DeleteCommand)[0].args[0].input).toMatchObject({ TableName: 'SharedFiles', Key: { pk: `USER#${VIEWER}`, sk: `FILE#${FILE_ID}` } });
  });

  it.each([
    [EDITOR, 403],
    [VIEWER, 403],
    [STRANGER, 404],
  ])('answers %s with %i and revokes nothing', async (sub, status) => {
    serveItems(ddb, [fileMetaItem(), ...shared]);

    const res = await revoke(EDITOR, sub);

    expect(res.status).toBe(status);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(0);
  });
});

describe('GET /shared', () => {
  const other = '0b7f3c1e-0000-4000-8000-000000000002';
  const gone = '0b7f3c1e-0000-4000-8000-000000000003';
  const items = [
    fileMetaItem(),
    fileMetaItem({ pk: `FILE#${other}`, fileId: other, path: '/b.txt', name: 'b.txt' }),
    fileMetaItem({ pk: `FILE#${gone}`, fileId: gone, status: 'deleted' }),
    shareItem(VIEWER, 'viewer'),
    shareItem(VIEWER, 'editor', { fileId: other }),
    shareItem(VIEWER, 'viewer', { fileId: gone }),
    shareItem(EDITOR, 'editor'),
  ];
  const list = (query?: Record<string, string>, sub = VIEWER) => call(listShared, apiEvent({ sub, query }));

  it("lists each live file shared with the caller, with its owner, the caller's role and current metadata", async () => {
    serveItems(ddb, items);
    serveQueries(ddb, items);

    const res = await list();

    expect(res.status).toBe(200);
    expect(res.body.cursor).toBeUndefined();
    expect(res.body.entries).toEqual([
      {
        file: expect.objectContaining({ fileId: FILE_ID, ownerId: OWNER, name: 'a.txt', revision: 2, status: 'uploaded' }),
        owner: { userId: OWNER, email: 'owner@example.com' },
        role: 'viewer',
        sharedAt: '2026-01-03T00:00:00.000Z',
      },
      expect.objectContaining({ file: expect.objectContaining({ fileId: other }), role: 'editor' }),
    ]);
    expect(res.body.entries[0].file.contentRevision).toBeUndefined();
  });

  it('pages with a cursor that only its own user can use', async () => {
    serveItems(ddb, items);
    serveQueries(ddb, items);

    const first = await list({ limit: '1' });
    const second = await list({ limit: '1', cursor: first.body.cursor });
    const foreign = await list({ limit: '1', cursor: first.body.cursor }, EDITOR);

    expect(first.body.entries.map((e: { file: { fileId: string } }) => e.file.fileId)).toEqual([FILE_ID]);
    expect(second.body.entries.map((e: { file: { fileId: string } }) => e.file.fileId)).toEqual([other]);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe('INVALID_CURSOR');
  });

  it('is empty for someone nothing is shared with', async () => {
    serveItems(ddb, items);
    serveQueries(ddb, items);

    const res = await list({}, STRANGER);

    expect(res.body).toEqual({ entries: [] });
  });
});
