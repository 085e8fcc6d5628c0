/**
 * Push connections: one FileMetadata item per open WebSocket, under its user (layout in keys.ts), so
 * the notifier finds a user's devices with one Query. An item expires (DynamoDB TTL) shortly after
 * API Gateway's connection limit; $disconnect removes it sooner, and so does the notifier when the
 * gateway answers that the connection is gone. DynamoDB deletes expired items lazily, so reads skip
 * the ones already past their expiry.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PUSH } from '@contract/push';
import { keys, TTL_ATTRIBUTE } from './keys';
import { queryAll } from './query';

export interface PushConnection {
  readonly userId: string;
  readonly connectionId: string;
  readonly connectedAt: string;
  /** Epoch seconds after which the item is forgotten. */
  readonly ttl: number;
}

/** Past the gateway's own limit, so a live connection never loses its item first. */
const EXPIRY_MARGIN_SECONDS = 5 * 60;

/**
 * A connection is recorded by $connect before API Gateway opens it, and posting to it meanwhile
 * answers "gone": such a young item is kept. $connect's integration must answer within 29 s.
 */
export const CONNECT_GRACE_MS = 30_000;

export const connectionExpiry = (connectedAt: Date): number =>
  Math.floor(connectedAt.getTime() / 1000) + PUSH.maxConnectionSeconds + EXPIRY_MARGIN_SECONDS;

export class ConnectionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(userId: string, connectionId: string, now: Date): Promise<void> {
    const item: PushConnection = { userId, connectionId, connectedAt: now.toISOString(), [TTL_ATTRIBUTE]: connectionExpiry(now) };
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.connection(userId, connectionId), ...item } }));
  }

  async remove(userId: string, connectionId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.connection(userId, connectionId) }));
  }

  /** Removes a connection the gateway no longer knows, unless it was recorded within CONNECT_GRACE_MS. */
  async removeGone(userId: string, connectionId: string, now: Date): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.connection(userId, connectionId),
          ConditionExpression: 'connectedAt < :grace',
          ExpressionAttributeValues: { ':grace': new Date(now.getTime() - CONNECT_GRACE_MS).toISOString() },
        }),
      );
    } catch (error) {
      // Still connecting (or already removed): nothing to do.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** The user's connections that have not expired. */
  async forUser(userId: string, now: Date): Promise<PushConnection[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.connection(userId, '').pk },
    });
    const nowSeconds = Math.floor(now.getTime() / 1000);
    return items
      .filter((item) => typeof item[TTL_ATTRIBUTE] === 'number' && (item[TTL_ATTRIBUTE] as number) > nowSeconds)
      .map((item) => ({ userId, connectionId: String(item.sk), connectedAt: String(item.connectedAt), ttl: Number(item[TTL_ATTRIBUTE]) }));
  }
}
