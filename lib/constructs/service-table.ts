import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { EnvName } from '@contract/env';
import { durableTableProps } from '../secure-defaults';

/**
 * How a function may use a table: `put` is PutItem on the base table only; `readPut` adds reads to it
 * (verifying chunks while handing out upload URLs, a data migration's progress items); `readPutUpdate`
 * adds UpdateItem besides, still never a delete (the chunk tracker: it registers chunks and proofs, and
 * touches a chunk it relies on). `delete` is DeleteItem on the base table only (forgetting a push
 * connection), `readDelete` adds reads to that (the push notifier finds connections and forgets the gone ones).
 */
export type TableAccess = 'read' | 'readWrite' | 'put' | 'readPut' | 'readPutUpdate' | 'delete' | 'readDelete';

export interface ServiceTableProps {
  /** The environment variable (from contract/env.ts) that carries the table name to handlers. */
  readonly envName: EnvName;
  /** Global secondary indexes, string-keyed; each projects all attributes unless `keysOnly`. */
  readonly indexes?: readonly { readonly name: string; readonly partitionKey: string; readonly sortKey: string; readonly keysOnly?: boolean }[];
  /** Attribute DynamoDB expires items by. @default - no TTL */
  readonly timeToLiveAttribute?: string;
  /** What the table's stream carries of each change. @default - no stream */
  readonly stream?: dynamodb.StreamViewType;
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
      stream: props.stream,
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
    if (access === 'read' || access === 'readPut' || access === 'readPutUpdate' || access === 'readDelete') this.table.grantReadData(fn);
    if (access === 'readWrite') this.table.grantReadWriteData(fn);
    // Table.grant would add index/* too; item writes only ever target the base table.
    if (access === 'put' || access === 'readPut' || access === 'readPutUpdate') this.grantOnBaseTable(fn, 'dynamodb:PutItem');
    if (access === 'readPutUpdate') this.grantOnBaseTable(fn, 'dynamodb:UpdateItem');
    if (access === 'delete' || access === 'readDelete') this.grantOnBaseTable(fn, 'dynamodb:DeleteItem');
  }

  private grantOnBaseTable(fn: lambda.Function, action: string): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: [action], resources: [this.table.tableArn] }));
  }
}
