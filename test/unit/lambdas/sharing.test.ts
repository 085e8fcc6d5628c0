import './env';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UserNotFoundException,
  type AdminGetUserCommandInput,
  type ListUsersCommandInput,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as listCollaborators } from '../../../lambdas/api/list-collaborators';
import { handler as listShared } from '../../../lambdas/api/list-shared';
import { handler as revokeShare } from '../../../lambdas/api/revoke-share';
import { handler as shareFile } from '../../../lambdas/api/share-file';
import { collaboratorIdOf } from '../../../lambdas/domain/sharing';
import { apiEvent, call, EDITOR, FILE_ID, fileMetaItem, invitationItem, OWNER, serveItems, serveQueries, shareItem, STRANGER, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);

/** The user pool: each account's email, sub and status. */
const ACCOUNTS: { email: string; sub: string; status?: string }[] = [
  { email: 'owner@example.com', sub: OWNER },
  { email: 'Editor@Example.com', sub: EDITOR },
  { email: 'viewer@example.com', sub: VIEWER },
  { email: 'pending@example.com', sub: STRANGER, status: 'UNCONFIRMED' },
];

const attributes = (a: (typeof ACCOUNTS)[number]) => [
  { Name: 'sub', Value: a.sub },
  { Name: 'email', Value: a.email },
];

function servePool(accounts = ACCOUNTS): void {
  cognito.on(ListUsersCommand).callsFake((input: ListUsersCommandInput) => {
    const [, value] = /^email = "(.*)"$/.exec(input.Filter ?? '')!;
    const users: UserType[] = accounts.filter((a) => a.email === value).map((a) => ({
      Username: a.sub,
      Enabled: true,
      UserStatus: (a.status ?? 'CONFIRMED') as UserType['UserStatus'],
      Attributes: attributes(a),
    }));
    return { Users: users };
  });
  cognito.on(AdminGetUserCommand).callsFake((input: AdminGetUserCommandInput) => {
    const account = accounts.find((a) => a.sub === input.Username);
    if (!account) throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
    return { Username: account.sub, Enabled: true, UserStatus: account.status ?? 'CONFIRMED', UserAttributes: attributes(account) };
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
const id = (email: string) => collaboratorIdOf(FILE_ID, email);

describe('PUT /files/{fileId}/shares', () => {
  it('shares with each address once, resolved through the user pool, guarded on the file being live', async () => {
    serveItems(ddb, [fileMetaItem()]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await share({ emails: ['viewer@example.com', 'VIEWER@example.com', 'Editor@Example.com'], role: 'viewer' });

    expect(res.status).toBe(200);
    expect(res.body.collaborators).toEqual([
      expect.objectContaining({ collaboratorId: id('viewer@example.com'), email: 'viewer@example.com', role: 'viewer', sharedBy: OWNER }),
      expect.objectContaining({ collaboratorId: id('editor@example.com'), email: 'Editor@Example.com', role: 'viewer' }),
    ]);
    expect(filters().sort()).toEqual([`email = "Editor@Example.com"`, `email = "editor@example.com"`, `email = "viewer@example.com"`]);
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

  it('finds an address typed in another case than it was signed up with, and answers with the address as typed', async () => {
    serveItems(ddb, [fileMetaItem()]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await share({ emails: ['Viewer@Example.COM'], role: 'viewer' });

    expect(res.body.collaborators).toEqual([expect.objectContaining({ email: 'Viewer@Example.COM', collaboratorId: id('viewer@example.com') })]);
    expect(transactions()[0][1].Put!.Item).toMatchObject({ pk: `USER#${VIEWER}`, recipientEmail: 'Viewer@Example.COM' });
    expect(filters()).toEqual(expect.arrayContaining(['email = "Viewer@Example.COM"', 'email = "viewer@example.com"']));
  });

  it('invites an address without an account, answering exactly as for one with an account (issue 10, hole 6)', async () => {
    serveItems(ddb, [fileMetaItem()]);
    ddb.on(TransactWriteCommand).resolves({});
    const shape = (body: { collaborators: Record<string, unknown>[] }) =>
      body.collaborators.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, k === 'email' || k === 'collaboratorId' ? typeof v : v])));

    const known = await share({ emails: ['viewer@example.com'], role: 'viewer' });
    const unknown = await share({ emails: ['Nobody@example.com'], role: 'viewer' });
    const unconfirmed = await share({ emails: ['pending@example.com'], role: 'viewer' });

    expect([unknown.status, unconfirmed.status]).toEqual([known.status, known.status]);
    expect(Object.keys(unknown.body)).toEqual(Object.keys(known.body));
    expect({ ...shape(unknown.body)[0], sharedAt: 0, updatedAt: 0 }).toEqual({ ...shape(known.body)[0], sharedAt: 0, updatedAt: 0 });
    expect(unknown.body.collaborators[0]).toMatchObject({ email: 'Nobody@example.com', collaboratorId: id('nobody@example.com') });
    expect(transactions()[1][1].Put!.Item).toEqual({
      pk: 'INVITE#nobody@example.com',
      sk: `FILE#${FILE_ID}`,
      gsi1pk: `FILE#${FILE_ID}`,
      gsi1sk: 'INVITE#nobody@example.com',
      email: 'Nobody@example.com',
      fileId: FILE_ID,
      ownerId: OWNER,
      role: 'viewer',
      ownerEmail: 'owner@example.com',
      sharedBy: OWNER,
      sharedAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(transactions()[2][1].Put!.Item).toMatchObject({ pk: 'INVITE#pending@example.com' });
  });

  it('keeps the date an invitation was first made when it is shared again, and drops an invitation its address has outgrown', async () => {
    serveItems(ddb, [fileMetaItem(), invitationItem('nobody@example.com', 'viewer'), invitationItem('viewer@example.com', 'viewer')]);
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});

    const res = await share({ emails: ['nobody@example.com', 'viewer@example.com'], role: 'editor' });

    expect(res.body.collaborators).toEqual([
      expect.objectContaining({ email: 'nobody@example.com', role: 'editor', sharedAt: '2026-01-02T00:00:00.000Z' }),
      expect.objectContaining({ email: 'viewer@example.com', role: 'editor', sharedAt: '2026-01-02T00:00:00.000Z' }),
    ]);
    expect(transactions()[0].slice(1).map((p) => p.Put!.Item!.pk)).toEqual(['INVITE#nobody@example.com', `USER#${VIEWER}`]);
    expect(ddb.commandCalls(BatchWriteCommand)[0].args[0].input.RequestItems!.SharedFiles).toEqual([
      { DeleteRequest: { Key: { pk: 'INVITE#viewer@example.com', sk: `FILE#${FILE_ID}` } } },
    ]);
  });

  it('refuses to share a file with its owner, naming the address', async () => {
    serveItems(ddb, [fileMetaItem()]);

    const res = await share({ emails: ['viewer@example.com', 'owner@example.com'], role: 'editor' });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body.emails', emails: ['owner@example.com'] } });
    expect(transactions()).toHaveLength(0);
  });

  it('answers 401 ACCOUNT_DELETED, not 500, when the owner was deleted from the pool since the token was issued (issue 10, hole 3)', async () => {
    serveItems(ddb, [fileMetaItem()]);
    ddb.on(TransactWriteCommand).resolves({});
    await share({ emails: ['viewer@example.com'], role: 'viewer' });
    servePool(ACCOUNTS.filter((a) => a.sub !== OWNER));

    const res = await share({ emails: ['viewer@example.com'], role: 'viewer' });

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('ACCOUNT_DELETED');
    expect(transactions()).toHaveLength(1);
  });

  it.each([
    [EDITOR, 403, 'FORBIDDEN'],
    [VIEWER, 403, 'FORBIDDEN'],
    [STRANGER, 404, 'NOT_FOUND'],
  ])('answers %s with %i before looking up any address', async (sub, status, code) => {
    serveItems(ddb, [fileMetaItem(), ...shared]);

    const res = await share({ emails: ['viewer@example.com'], role: 'viewer' }, sub);

    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(filters()).toHaveLength(0);
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
  it("lists the file's collaborators by email to its owner, accounts and invitations alike", async () => {
    serveItems(ddb, [fileMetaItem()]);
    serveQueries(ddb, [...shared, invitationItem('Nobody@example.com', 'viewer'), shareItem(EDITOR, 'editor', { fileId: 'another-file' })]);

    const res = await call(listCollaborators, apiEvent({ params: { fileId: FILE_ID } }));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      fileId: FILE_ID,
      collaborators: [
        { collaboratorId: id('editor@example.com'), email: 'editor@example.com', role: 'editor', sharedBy: OWNER, sharedAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z' },
        { collaboratorId: id('nobody@example.com'), email: 'Nobody@example.com', role: 'viewer', sharedBy: OWNER, sharedAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z' },
        { collaboratorId: id('viewer@example.com'), email: 'viewer@example.com', role: 'viewer', sharedBy: OWNER, sharedAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z' },
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

describe('DELETE /files/{fileId}/shares/{collaboratorId}', () => {
  const revoke = (collaboratorId: string, sub?: string) => call(revokeShare, apiEvent({ sub, params: { fileId: FILE_ID, collaboratorId } }));

  it.each([
    ['a share', 'viewer@example.com', { pk: `USER#${VIEWER}`, sk: `FILE#${FILE_ID}` }],
    ['an invitation', 'nobody@example.com', { pk: 'INVITE#nobody@example.com', sk: `FILE#${FILE_ID}` }],
  ])('ends %s, and says whether there was one', async (_, email, key) => {
    serveItems(ddb, [fileMetaItem()]);
    serveQueries(ddb, [...shared, invitationItem('nobody@example.com', 'viewer')]);
    ddb.on(DeleteCommand).resolvesOnce({ Attributes: { pk: key.pk } }).resolves({});

    const first = await revoke(id(email));
    const again = await revoke(id(email));

    expect(first.body).toEqual({ fileId: FILE_ID, collaboratorId: id(email), revoked: true });
    expect(again.body).toEqual({ fileId: FILE_ID, collaboratorId: id(email), revoked: false });
    expect(ddb.commandCalls(DeleteCommand)[0].args[0].input).toMatchObject({ TableName: 'SharedFiles', Key: key });
  });

  it('revokes nothing for an id that names no collaborator of the file', async () => {
    serveItems(ddb, [fileMetaItem()]);
    serveQueries(ddb, shared);

    const res = await revoke(collaboratorIdOf('another-file', 'viewer@example.com'));

    expect(res.body.revoked).toBe(false);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  it.each([
    [EDITOR, 403],
    [VIEWER, 403],
    [STRANGER, 404],
  ])('answers %s with %i and revokes nothing', async (sub, status) => {
    serveItems(ddb, [fileMetaItem(), ...shared]);
    serveQueries(ddb, shared);

    const res = await revoke(id('editor@example.com'), sub);

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
