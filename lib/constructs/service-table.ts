import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { EnvName } from '@contract/env';
import { durableTableProps } from '../secure-defaults';

/**
 * How a function may use a table: `put` is PutItem on the base table only; `readPut` adds reads to it
 * (a data migration's progress items); `readPutUpdate` adds UpdateItem besides, still never a delete
 * (the chunk tracker: it registers chunks and proofs, and touches a chunk it relies on).
 */
export type TableAccess = 'read' | 'readWrite' | 'put' | 'readPut' | 'readPutUpdate';

export interface ServiceTableProps {
  /** The environment variable (from contract/env.ts) that carries the table name to handlers. */
  readonly envName: EnvName;
  /** Global secondary indexes, string-keyed; each projects all attributes unless `keysOnly`. */
  readonly indexes?: readonly { readonly name: string; readonly partitionKey: string; readonly sortKey: string; readonly keysOnly?: boolean }[];
  /** Attribute DynamoDB expires items by. @default - no TTL */
  readonly timeToLiveAttribute?: string;
}

/**
 * A durable single-table-design table (`pk`/`sk` strings) that hands itself to functions: `bind`
 * is the one place that both sets the table-name variable and grants the matching IAM actions.
 */
export class ServiceTable extends Construct {
  readonly table: dynamodb.Table;
  private readonly envName: EnvName;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    this.envName = props.envName;
    this.table = new dynamodb.Table(this, 'Table', {
      ...durableTableProps(),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: props.timeToLiveAttribute,
    });
    for (const index of props.indexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: index.keysOnly ? dynamodb.ProjectionType.KEYS_ONLY : dynamodb.ProjectionType.ALL,
      });
    }
  }

  bind(fn: lambda.Function, access: TableAccess): void {
    fn.addEnvironment(this.envName, this.table.tableName);
    if (access === 'read' || access === 'readPut' || access === 'readPutUpdate') this.table.grantReadData(fn);
    if (access === 'readWrite') this.table.grantReadWriteData(fn);
    // Table.grant would add index/* too; item writes only ever target the base table.
    const writes = { put: ['dynamodb:PutItem'], readPut: ['dynamodb:PutItem'], readPutUpdate: ['dynamodb:PutItem', 'dynamodb:UpdateItem'] }[access as string];
    if (writes !== undefined) fn.addToRolePolicy(new iam.PolicyStatement({ actions: writes, resources: [this.table.tableArn] }));
  }
}
