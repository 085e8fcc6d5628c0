/**
 * The SharedFiles table (layout in keys.ts): one grant per recipient and file, one invitation per
 * address and file. Reads of a single grant are strongly consistent, so a revoke takes effect on the
 * very next request; listings by file go through the `byFile` index, which DynamoDB keeps eventually
 * consistent.
 */
import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDeleteAll, batchGetAll } from './batch';
import { SHARED_BY_FILE_INDEX, keys } from './keys';
import { queryAll, queryPage } from './query';
import type { FileShare, InvitationRecord, ShareRecord } from './items';
import type { TaggedItem } from './transact';

/** A position in a user's list of shares, as Query hands it out. */
export type ShareListingKey = { pk: string; sk: string };

export interface SharePage {
  readonly records: ShareRecord[];
  /** Position of the last record returned, when more may follow. */
  readonly lastKey?: ShareListingKey;
}

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...item };
  for (const k of KEY_ATTRIBUTES) delete rest[k];
  return rest;
}

const toRecord = (item: Record<string, unknown>) => withoutKeys(item) as unknown as ShareRecord;
const toInvitation = (item: Record<string, unknown>) => withoutKeys(item) as unknown as InvitationRecord;
const isInvitationItem = (item: Record<string, unknown>) => String(item.pk).startsWith(keys.invitation('', '').pk);

function toFileShare(item: Record<string, unknown>): FileShare {
  return isInvitationItem(item) ? { kind: 'invitation', ...toInvitation(item) } : { kind: 'grant', ...toRecord(item) };
}

/** What names one grant or invitation. */
export type ShareKey = Pick<Extract<FileShare, { kind: 'grant' }>, 'kind' | 'recipientId' | 'fileId'> | Pick<Extract<FileShare, { kind: 'invitation' }>, 'kind' | 'email' | 'fileId'>;

const keyOf = (share: ShareKey) => (share.kind === 'grant' ? keys.share(share.recipientId, share.fileId) : keys.invitation(share.email, share.fileId));

/** True when `key` is a position in `recipientId`'s own list (a cursor must not wander into another's). */
export function isShareListingKeyOf(recipientId: string, key: unknown): key is ShareListingKey {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  const k = key as Record<string, unknown>;
  return (
    Object.keys(k).length === 2 && k.pk === keys.share(recipientId, '').pk && typeof k.sk === 'string' && k.sk.startsWith(keys.share(recipientId, '').sk)
  );
}

export class ShareRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(recipientId: string, fileId: string): Promise<ShareRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.share(recipientId, fileId), ConsistentRead: true }));
    return Item ? toRecord(Item) : undefined;
  }

  /** The recipient's grant on a file, as the access rules take it. */
  async grantOn(recipientId: string, fileId: string): Promise<{ fileId: string; role: ShareRecord['role'] } | undefined> {
    const share = await this.get(recipientId, fileId);
    return share === undefined ? undefined : { fileId: share.fileId, role: share.role };
  }

  /** The existing shares of a file with these recipients, by recipient id. */
  async getMany(recipientIds: readonly string[], fileId: string): Promise<Map<string, ShareRecord>> {
    const items = await batchGetAll(this.db, this.table, recipientIds.map((id) => keys.share(id, fileId)));
    return new Map(items.map(toRecord).map((r) => [r.recipientId, r]));
  }

  /** The open invitations of a file to these addresses, by lower-cased address. */
  async invitationsOf(emails: readonly string[], fileId: string): Promise<Map<string, InvitationRecord>> {
    const items = await batchGetAll(this.db, this.table, emails.map((email) => keys.invitation(email, fileId)));
    return new Map(items.map(toInvitation).map((i) => [i.email.toLowerCase(), i]));
  }

  /** Every invitation waiting for an address (strongly consistent: read when its account is confirmed). */
  async invitationsTo(email: string): Promise<InvitationRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :invite',
      ExpressionAttributeValues: { ':invite': keys.invitation(email, '').pk },
      ConsistentRead: true,
    });
    return items.map(toInvitation);
  }

  /** Everyone a file is shared with, grants and invitations, through the byFile index. */
  async forFile(fileId: string): Promise<FileShare[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: SHARED_BY_FILE_INDEX,
      KeyConditionExpression: 'gsi1pk = :file',
      ExpressionAttributeValues: { ':file': keys.shareIndex(fileId, '').gsi1pk },
    });
    return items.map(toFileShare);
  }

  /** One page of what is shared with a user, in file id order. */
  async forRecipient(recipientId: string, limit: number, startKey?: ShareListingKey): Promise<SharePage> {
    const page = await queryPage(
      this.db,
      { TableName: this.table, KeyConditionExpression: 'pk = :user', ExpressionAttributeValues: { ':user': keys.share(recipientId, '').pk }, ConsistentRead: true },
      limit,
      startKey,
    );
    return {
      records: page.items.map(toRecord),
      ...(page.last ? { lastKey: { pk: String(page.last.pk), sk: String(page.last.sk) } } : {}),
    };
  }

  /** Writes (or rewrites, for a new role) a share, as one item of a transaction. */
  put(share: ShareRecord): TaggedItem {
    return {
      tag: `share:${share.recipientId}`,
      item: {
        Put: {
          TableName: this.table,
          Item: { ...keys.share(share.recipientId, share.fileId), ...keys.shareIndex(share.fileId, share.recipientId), ...share },
        },
      },
    };
  }

  /** Writes (or rewrites, for a new role) an invitation, as one item of a transaction. */
  putInvitation(invitation: InvitationRecord): TaggedItem {
    return {
      tag: `invitation:${invitation.email.toLowerCase()}`,
      item: {
        Put: {
          TableName: this.table,
          Item: { ...keys.invitation(invitation.email, invitation.fileId), ...keys.invitationIndex(invitation.fileId, invitation.email), ...invitation },
        },
      },
    };
  }

  /** Ends an invitation as one item of a transaction, on condition it is still there (not revoked meanwhile). */
  claimItem(invitation: Pick<InvitationRecord, 'email' | 'fileId'>): TaggedItem {
    return {
      tag: `invitation:${invitation.email.toLowerCase()}`,
      item: { Delete: { TableName: this.table, Key: keys.invitation(invitation.email, invitation.fileId), ConditionExpression: 'attribute_exists(pk)' } },
    };
  }

  /** Ends a grant or an invitation as one item of a transaction (no condition: ending one that is gone is fine). */
  removeItem(share: ShareKey): TaggedItem {
    const tag = share.kind === 'grant' ? `share:${share.recipientId}` : `invitation:${share.email.toLowerCase()}`;
    return { tag, item: { Delete: { TableName: this.table, Key: keyOf(share) } } };
  }

  /** Ends one grant or invitation; false when it was gone already. */
  async remove(share: ShareKey): Promise<boolean> {
    const out = await this.db.send(new DeleteCommand({ TableName: this.table, Key: keyOf(share), ReturnValues: 'ALL_OLD' }));
    return out.Attributes !== undefined;
  }

  /** Ends every grant and invitation given (idempotent: a repeated sweep deletes nothing twice). */
  async removeAll(shares: readonly ShareKey[]): Promise<void> {
    await batchDeleteAll(this.db, this.table, shares.map(keyOf));
  }
}
