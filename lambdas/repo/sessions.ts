/** Upload sessions: what an upload promised (path, size, manifest) until it is committed or expires. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll } from './batch';
import { keys } from './keys';
import type { AnyUploadSession } from './items';
import type { TaggedItem } from './transact';

export class UploadSessions {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(uploadId: string): Promise<AnyUploadSession | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.upload(uploadId), ConsistentRead: true }));
    return Item ? withoutKeys(Item) : undefined;
  }

  /** The sessions that exist among `uploadIds`, by id. */
  async getMany(uploadIds: readonly string[]): Promise<Map<string, AnyUploadSession>> {
    const items = await batchGetAll(this.db, this.table, [...new Set(uploadIds)].map((id) => keys.upload(id)));
    return new Map(items.map(withoutKeys).map((s) => [s.uploadId, s]));
  }

  /** Writes a fresh session (the id is derived from its content, so rewriting one is harmless). */
  async put(session: AnyUploadSession): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.upload(session.uploadId), ...session } }));
  }

  /** Writes fresh sessions, as {@link put} does, in batches. */
  async putMany(sessions: readonly AnyUploadSession[]): Promise<void> {
    await batchPutAll(this.db, this.table, sessions.map((session) => ({ ...keys.upload(session.uploadId), ...session })));
  }

  /**
   * Marks the session committed inside the commit transaction. Fails when it vanished (expired) or
   * another commit of the same session won; the caller re-reads and finds out which.
   */
  markCommitted(uploadId: string, committed: { fileId: string; revision: number }): TaggedItem {
    return {
      tag: 'session',
      item: {
        Update: {
          TableName: this.table,
          Key: keys.upload(uploadId),
          UpdateExpression: 'SET committed = :committed',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(committed)',
          ExpressionAttributeValues: { ':committed': committed },
        },
      },
    };
  }
}

function withoutKeys(item: Record<string, unknown>): AnyUploadSession {
  const { pk: _pk, sk: _sk, ...session } = item;
  return session as unknown as AnyUploadSession;
}
