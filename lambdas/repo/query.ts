/** Query, beyond DynamoDB's 1 MB pages: a page of exactly `limit` items, or every item. */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type Query = Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>;

export interface ItemPage {
  readonly items: Item[];
  /** The last item returned, when more follow: its key attributes are where the next page starts. */
  readonly last?: Item;
}

/** Up to `limit` items from `startKey` on; keeps querying until `limit` is met or the items end. */
export async function queryPage(db: DynamoDBDocumentClient, query: Query, limit: number, startKey?: Record<string, unknown>): Promise<ItemPage> {
  const items: Item[] = [];
  let exclusiveStartKey = startKey;
  // One extra item tells whether another page exists, so the last page never carries a cursor.
  while (items.length <= limit) {
    const page = await db.send(new QueryCommand({ ...query, ExclusiveStartKey: exclusiveStartKey, Limit: limit + 1 - items.length }));
    items.push(...(page.Items ?? []));
    exclusiveStartKey = page.LastEvaluatedKey;
    if (exclusiveStartKey === undefined) break;
  }
  const shown = items.slice(0, limit);
  return { items: shown, ...(items.length > limit ? { last: shown[shown.length - 1] } : {}) };
}

/** Every item the query matches. */
export async function queryAll(db: DynamoDBDocumentClient, query: Query): Promise<Item[]> {
  const items: Item[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...query, ExclusiveStartKey: exclusiveStartKey }));
    items.push(...(page.Items ?? []));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return items;
}
