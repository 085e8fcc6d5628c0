/**
 * The push notifier on stream batches (DynamoDB, the management API and the pool mocked): who gets a
 * hint for a journal entry or a grant change, once per connection and batch; gone connections
 * forgotten, but not while they may still be connecting; a failed post does not fail the batch, a
 * failed read does; a deleted or disabled account's connections are closed, not hinted, within the
 * HTTP routes' account-check window.
 */
import './env';
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { AdminGetUserCommand, CognitoIdentityProviderClient, UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { LIMITS } from '@contract/limits';
import { CONNECT_GRACE_MS } from '../../../lambdas/repo/connections';
import { handler } from '../../../lambdas/push/notifier';
import { EDITOR, FILE_ID, invitationItem, OWNER, serveQueries, shareItem, STRANGER, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const gateway = mockClient(ApiGatewayManagementApiClient);
const cognito = mockClient(CognitoIdentityProviderClient);
/** Users only the account tests wake (the check remembers each account's status per instance). */
const DISABLED = 'dddddddd-2222-3333-4444-555555555555';
const DELETED = 'ffffffff-2222-3333-4444-555555555555';
const DISABLED_LATER = 'llllllll-2222-3333-4444-555555555555';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const inAnHour = Math.floor(NOW / 1000) + 3600;

const connection = (userId: string, connectionId: string, extra: Record<string, unknown> = {}) => ({
  pk: `CONN#${userId}`,
  sk: connectionId,
  userId,
  connectionId,
  connectedAt: new Date(NOW - 60_000).toISOString(),
  ttl: inAnHour,
  ...extra,
});

const journalInsert = (ownerId: string, seq: number, fileId = FILE_ID): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    Keys: { pk: { S: `JRNL#${ownerId}` }, sk: { S: String(seq).padStart(12, '0') } },
    NewImage: { pk: { S: `JRNL#${ownerId}` }, sk: { S: String(seq).padStart(12, '0') }, fileId: { S: fileId }, type: { S: 'put' } },
  },
});

const grantChange = (recipientId: string, eventName: 'INSERT' | 'MODIFY' | 'REMOVE'): DynamoDBRecord => ({
  eventName,
  dynamodb: { Keys: { pk: { S: `USER#${recipientId}` }, sk: { S: `FILE#${FILE_ID}` } } },
});

const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const postedTo = () => gateway.commandCalls(PostToConnectionCommand).map((c) => c.args[0].input.ConnectionId).sort();
const postedData = () => gateway.commandCalls(PostToConnectionCommand).map((c) => String(c.args[0].input.Data));
const closed = () => gateway.commandCalls(DeleteConnectionCommand).map((c) => c.args[0].input.ConnectionId).sort();

beforeEach(() => {
  ddb.reset();
  gateway.reset();
  cognito.reset();
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask'] });
  serveQueries(ddb, [
    shareItem(EDITOR, 'editor'),
    shareItem(VIEWER, 'viewer'),
    invitationItem('newcomer@example.com', 'viewer'),
    connection(OWNER, 'owner-laptop'),
    connection(OWNER, 'owner-phone'),
    connection(EDITOR, 'editor-laptop'),
    connection(VIEWER, 'viewer-expired', { ttl: Math.floor(NOW / 1000) - 1 }),
    connection(STRANGER, 'stranger-laptop'),
    connection(DISABLED, 'disabled-laptop'),
    connection(DELETED, 'deleted-laptop'),
    connection(DISABLED_LATER, 'later-laptop'),
  ]);
  gateway.on(PostToConnectionCommand).resolves({});
  gateway.on(DeleteConnectionCommand).resolves({});
  cognito.on(AdminGetUserCommand).resolves({ Enabled: true });
  cognito.on(AdminGetUserCommand, { Username: DISABLED }).resolves({ Enabled: false });
  cognito.on(AdminGetUserCommand, { Username: DELETED }).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
  ddb.on(DeleteCommand).resolves({});
});
afterEach(() => jest.useRealTimers());

describe('push notifier', () => {
  it('hints every connection of the owner and of everyone the file is shared with, and nobody else', async () => {
    // Act
    await handler(batch(journalInsert(OWNER, 7)));
    // Assess
    expect(postedTo()).toEqual(['editor-laptop', 'owner-laptop', 'owner-phone']);
    expect(new Set(postedData())).toEqual(new Set(['{"type":"changes"}']));
  });

  it('wakes nobody for an invitation to the file (an address with no account yet has no connections)', async () => {
    // Act
    await handler(batch(journalInsert(OWNER, 7)));
    // Assess
    const connectionReads = ddb.commandCalls(QueryCommand).flatMap((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'] ?? []);
    expect(connectionReads.sort()).toEqual([`CONN#${EDITOR}`, `CONN#${OWNER}`, `CONN#${VIEWER}`].sort());
    expect(postedTo()).toEqual(['editor-laptop', 'owner-laptop', 'owner-phone']);
  });

  it('hints each connection once per batch, however many entries of its feeds the batch holds', async () => {
    // Act
    await handler(batch(journalInsert(OWNER, 7), journalInsert(OWNER, 8), journalInsert(OWNER, 9, 'another-file'), grantChange(EDITOR, 'MODIFY')));
    // Assess
    expect(postedTo()).toEqual(['editor-laptop', 'owner-laptop', 'owner-phone']);
  });

  it.each(['INSERT', 'MODIFY', 'REMOVE'] as const)('hints the recipient of a grant %s (the shared set changed), and only them', async (eventName) => {
    // Act
    await handler(batch(grantChange(EDITOR, eventName)));
    // Assess
    expect(postedTo()).toEqual(['editor-laptop']);
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.IndexName)).toEqual([undefined]);
  });

  it('reads nothing and posts nothing for records that are not journal inserts or grants', async () => {
    // Act
    await handler(batch({ ...journalInsert(OWNER, 7), eventName: 'REMOVE' }, { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: `CONN#${OWNER}` } } } }));
    // Assess
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    expect(postedTo()).toEqual([]);
  });

  it('forgets a connection the gateway says is gone, unless it was recorded within the connect grace', async () => {
    // Prepare
    gateway.on(PostToConnectionCommand, { ConnectionId: 'owner-phone' }).rejects(new GoneException({ message: 'gone', $metadata: {} }));
    // Act
    await handler(batch(journalInsert(OWNER, 7)));
    // Assess
    const deletes = ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input);
    expect(deletes).toEqual([
      {
        TableName: 'FileMetadata',
        Key: { pk: `CONN#${OWNER}`, sk: 'owner-phone' },
        ConditionExpression: 'connectedAt < :grace',
        ExpressionAttributeValues: { ':grace': new Date(NOW - CONNECT_GRACE_MS).toISOString() },
      },
    ]);
  });

  it('keeps going when one post fails: the others are hinted and the batch succeeds', async () => {
    // Prepare
    gateway.on(PostToConnectionCommand, { ConnectionId: 'owner-laptop' }).rejects(Object.assign(new Error('throttled'), { name: 'LimitExceededException' }));
    // Act
    const outcome = handler(batch(journalInsert(OWNER, 7)));
    // Assess
    await expect(outcome).resolves.toBeUndefined();
    expect(postedTo()).toEqual(['editor-laptop', 'owner-laptop', 'owner-phone']);
  });

  it('fails the batch when it cannot read who to wake, so the stream delivers it again', async () => {
    // Prepare
    ddb.on(QueryCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    // Act
    const outcome = handler(batch(journalInsert(OWNER, 7)));
    // Assess
    await expect(outcome).rejects.toThrow('throttled');
    expect(postedTo()).toEqual([]);
  });

  it.each([
    ['deleted', DELETED, 'deleted-laptop'],
    ['disabled', DISABLED, 'disabled-laptop'],
  ])('closes the connections of a %s account instead of hinting them, and hints the others', async (_what, userId, connectionId) => {
    // Act
    await handler(batch(grantChange(userId, 'INSERT'), grantChange(EDITOR, 'INSERT')));
    // Assess
    expect(postedTo()).toEqual(['editor-laptop']);
    expect(closed()).toEqual([connectionId]);
  });

  it('stops hinting an account disabled after it connected within the HTTP routes\' window, asking the pool once per window', async () => {
    // Prepare
    const hintedAt = async (offsetMs: number) => {
      jest.setSystemTime(NOW + offsetMs);
      gateway.resetHistory();
      await handler(batch(grantChange(DISABLED_LATER, 'MODIFY')));
      return { posted: postedTo(), closed: closed() };
    };
    const windowMs = LIMITS.accountCheckSeconds * 1000;
    // Act
    const whileActive = await hintedAt(0);
    cognito.on(AdminGetUserCommand, { Username: DISABLED_LATER }).resolves({ Enabled: false });
    const withinWindow = await hintedAt(windowMs - 1_000);
    const afterWindow = await hintedAt(windowMs + 1_000);
    // Assess
    expect([whileActive, withinWindow, afterWindow]).toEqual([
      { posted: ['later-laptop'], closed: [] },
      { posted: ['later-laptop'], closed: [] },
      { posted: [], closed: ['later-laptop'] },
    ]);
    expect(cognito.commandCalls(AdminGetUserCommand, { Username: DISABLED_LATER })).toHaveLength(2);
  });

  it('asks the pool about no one without a connection', async () => {
    // Act
    await handler(batch(grantChange('nnnnnnnn-2222-3333-4444-555555555555', 'INSERT')));
    // Assess
    expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(0);
  });
});
