/**
 * Whole-table reads for the collector's one-time migrations (items written before a feature existed
 * have no other way in), and the index keys such an old item lacks.
 */
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';

export interface ScanPage {
  readonly items: Record<string, unknown>[];
  /** Where the next page starts; absent after the last one. */
  readonly next?: Record<string, unknown>;
}

export class TableScan {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async page(start: Record<string, unknown> | undefined, limit: number): Promise<ScanPage> {
    const out = await this.db.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start, Limit: limit, ConsistentRead: true }));
    return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey } : {}) };
  }

  /** Puts an upload session written before the gc index existed into it (no-op once it is there, or gone). */
  async indexSession(uploadId: string, ownerId: string): Promise<void> {
    const index = keys.sessionIndex(ownerId, uploadId);
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.upload(uploadId),
          UpdateExpression: 'SET gcpk = :gcpk, gcsk = :gcsk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gcpk)',
          ExpressionAttributeValues: { ':gcpk': index.gcpk, ':gcsk': index.gcsk },
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }
}
