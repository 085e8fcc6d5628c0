/**
 * Creates each AWS::DynamoDB::Table in DynamoDB Local as the template defines it (keys, indexes,
 * streams, TTL), once: tables that exist keep their data, gain indexes and streams the template added since, and
 * refuse to start if their keys changed (that needs a fresh data dir, as it would need a new table on AWS).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

export interface TableSpec {
  readonly name: string;
  /** The resource's Properties, intrinsics resolved. */
  readonly properties: Readonly<Record<string, unknown>>;
}

interface CfnTableProps {
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  ProvisionedThroughput?: CreateTableCommandInput['ProvisionedThroughput'];
  GlobalSecondaryIndexes?: GlobalSecondaryIndex[];
  LocalSecondaryIndexes?: CreateTableCommandInput['LocalSecondaryIndexes'];
  StreamSpecification?: { StreamViewType: NonNullable<CreateTableCommandInput['StreamSpecification']>['StreamViewType'] };
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

export async function ensureTable(client: DynamoDBClient, spec: TableSpec): Promise<void> {
  const props = spec.properties as unknown as CfnTableProps;
  const existing = await describe(client, spec.name);
  if (!existing) {
    await client.send(new CreateTableCommand(createInput(spec.name, props)));
  } else {
    assertSameKeys(spec.name, existing.KeySchema ?? [], props.KeySchema);
    await addMissingIndexes(client, spec.name, existing, props);
    await ensureStream(client, spec.name, existing, props.StreamSpecification);
  }
  await ensureTtl(client, spec.name, props.TimeToLiveSpecification);
}

function createInput(name: string, props: CfnTableProps): CreateTableCommandInput {
  const onDemand = props.BillingMode === 'PAY_PER_REQUEST';
  // CloudFormation's default billing mode is PROVISIONED; DynamoDB Local ignores the numbers.
  const throughput = onDemand ? undefined : (props.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
  return {
    TableName: name,
    AttributeDefinitions: props.AttributeDefinitions,
    KeySchema: props.KeySchema,
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ProvisionedThroughput: throughput,
    GlobalSecondaryIndexes: props.GlobalSecondaryIndexes?.map((index) => gsiInput(index, throughput)),
    LocalSecondaryIndexes: props.LocalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
    StreamSpecification: props.StreamSpecification
      ? { StreamEnabled: true, StreamViewType: props.StreamSpecification.StreamViewType }
      : undefined,
  };
}

/** Keeps only what CreateTable accepts (the template may carry contributor insights and the like). */
const gsiInput = (index: GlobalSecondaryIndex, throughput: CreateTableCommandInput['ProvisionedThroughput']): GlobalSecondaryIndex => ({
  IndexName: index.IndexName,
  KeySchema: index.KeySchema,
  Projection: index.Projection,
  ProvisionedThroughput: throughput ? (index.ProvisionedThroughput ?? throughput) : undefined,
});

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

function assertSameKeys(name: string, actual: KeySchemaElement[], wanted: KeySchemaElement[]): void {
  const show = (keys: KeySchemaElement[]) => keys.map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  if (show(actual) !== show(wanted)) {
    throw new Error(
      `table ${name} has keys (${show(actual)}) but the template now says (${show(wanted)}); ` +
        'delete the dynamodb folder of the data dir to recreate it',
    );
  }
}

async function addMissingIndexes(client: DynamoDBClient, name: string, existing: TableDescription, props: CfnTableProps): Promise<void> {
  const have = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const throughput = existing.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? undefined : { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
  // DynamoDB allows one index creation per UpdateTable call.
  for (const index of props.GlobalSecondaryIndexes ?? []) {
    if (have.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: props.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: gsiInput(index, throughput) }],
      }),
    );
  }
}

/** A stream the template added (or whose view changed) since the table was made: DynamoDB changes a view by turning the stream off and on. */
async function ensureStream(client: DynamoDBClient, name: string, existing: TableDescription, wanted: CfnTableProps['StreamSpecification']): Promise<void> {
  const current = existing.StreamSpecification?.StreamEnabled ? existing.StreamSpecification.StreamViewType : undefined;
  if (current === wanted?.StreamViewType) return;
  if (current !== undefined) await client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
  if (wanted) {
    await client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: wanted.StreamViewType } }));
  }
}

async function ensureTtl(client: DynamoDBClient, name: string, ttl: CfnTableProps['TimeToLiveSpecification']): Promise<void> {
  if (!ttl?.Enabled) return;
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  if (current.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return;
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }),
  );
}
