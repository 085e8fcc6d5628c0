/**
 * A world of its own for the collector race test: a FileMetadata and a SharedFiles table copied from the
 * runtime's (same keys and indexes) in its DynamoDB Local, and a versioned bucket in its S3, without
 * notifications, so the test decides exactly when the tracker sees an upload. The service's own domain
 * code and repositories run in-process against them.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CollectorState } from '@repo/namespaces';
import { ShareRepository } from '@repo/shares';
import { StoredObjects } from '@repo/stored-objects';
import { TableWalk } from '@repo/table-walk';
import { bucketRepositories, metadataRepositories } from '@repo/wiring';
import { localCredentials } from '../../../../local/emulators/credentials';
import type { LocalRuntimeInfo } from '../../harness/runtime-process';

export interface RaceWorld {
  readonly bucket: string;
  readonly s3: S3Client;
  readonly deps: ReturnType<typeof repositories>;
  close(): void;
}

function repositories(db: DynamoDBDocumentClient, table: string, sharedTable: string, s3: S3Client, bucket: string) {
  return {
    ...metadataRepositories(table, db),
    ...bucketRepositories(bucket, s3),
    collectorState: new CollectorState(db, table),
    walk: new TableWalk(db, table),
    shares: new ShareRepository(db, sharedTable),
    stored: new StoredObjects(s3, bucket),
  };
}

/** A new table shaped like `like` (keys, attributes, indexes), on demand. */
async function copyTable(dynamo: DynamoDBClient, like: TableDescription, name: string): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: like.KeySchema,
      AttributeDefinitions: like.AttributeDefinitions,
      GlobalSecondaryIndexes: like.GlobalSecondaryIndexes?.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })),
    }),
  );
}

export async function createRaceWorld(local: LocalRuntimeInfo): Promise<RaceWorld> {
  const dynamo = new DynamoDBClient({ endpoint: local.dynamodbEndpoint, region: local.region, credentials: localCredentials });
  const s3 = new S3Client({
    endpoint: local.s3Endpoint,
    region: local.region,
    credentials: local.s3Credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const id = randomUUID().slice(0, 8);
  const runtimeTable = async (kind: string) => {
    const name = Object.values(local.tableNames).find((n) => n.includes(kind));
    if (name === undefined) throw new Error(`the runtime has no ${kind} table`);
    return (await dynamo.send(new DescribeTableCommand({ TableName: name }))).Table!;
  };
  const table = `gc-race-${id}-files`;
  const sharedTable = `gc-race-${id}-shares`;
  await copyTable(dynamo, await runtimeTable('FileMetadata'), table);
  await copyTable(dynamo, await runtimeTable('SharedFiles'), sharedTable);
  const bucket = `gc-race-${id}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return {
    bucket,
    s3,
    deps: repositories(db, table, sharedTable, s3, bucket),
    close() {
      db.destroy();
      s3.destroy();
    },
  };
}
