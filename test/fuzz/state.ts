/**
 * Everything the service stores, as one comparable value: every item of every DynamoDB table and
 * every object (key, size, ETag) of every bucket the template defines. The fuzz suite takes it
 * before and after its requests; any difference is a request that changed what it should not have.
 */
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

export interface StoreEndpoints {
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly region: string;
  readonly tableNames: Readonly<Record<string, string>>;
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** `table:<name> <item JSON>` and `object:<bucket>/<key> <size> <etag>` lines, sorted. */
export type StoredState = readonly string[];

export interface StateReader {
  read(): Promise<StoredState>;
  close(): void;
}

export function stateReader(at: StoreEndpoints): StateReader {
  const dynamodb = new DynamoDBClient({ endpoint: at.dynamodbEndpoint, region: at.region, credentials: at.credentials });
  const s3 = new S3Client({ endpoint: at.s3Endpoint, region: at.region, credentials: at.credentials, forcePathStyle: true });
  return {
    async read() {
      const parts = await Promise.all([
        ...Object.values(at.tableNames).map((table) => tableLines(dynamodb, table)),
        ...Object.values(at.bucketNames).map((bucket) => bucketLines(s3, bucket)),
      ]);
      return parts.flat().sort();
    },
    close() {
      dynamodb.destroy();
      s3.destroy();
    },
  };
}

async function tableLines(db: DynamoDBClient, table: string): Promise<string[]> {
  const lines: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) lines.push(`table:${table} ${canonical(item)}`);
    start = page.LastEvaluatedKey;
  } while (start);
  return lines;
}

async function bucketLines(s3: S3Client, bucket: string): Promise<string[]> {
  const lines: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) lines.push(`object:${bucket}/${o.Key} ${o.Size} ${o.ETag}`);
    token = page.NextContinuationToken;
  } while (token);
  return lines;
}

/** JSON with keys sorted at every level, so equal items print equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What `after` holds that `before` did not, and the reverse. */
export function stateDiff(before: StoredState, after: StoredState): { added: string[]; removed: string[] } {
  const was = new Set(before);
  const is = new Set(after);
  return { added: after.filter((l) => !was.has(l)), removed: before.filter((l) => !is.has(l)) };
}
