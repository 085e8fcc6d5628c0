/** Upload sessions: what an upload promised (path, size, manifest) until it is committed or expires. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import type { UploadSession } from './items';
import type { TaggedItem } from './transact';

export class UploadSessions {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(uploadId: string): Promise<UploadSession | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.upload(uploadId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...session } = Item;
    return session as UploadSession;
  }

  /** Writes a fresh session (the id is derived from its content, so rewriting one is harmless). */
  async put(session: UploadSession): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.upload(session.uploadId), ...session } }));
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
