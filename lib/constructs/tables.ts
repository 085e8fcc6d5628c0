import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ENV } from '@contract/env';
import { GC_INDEX, GSI1, SHARED_BY_FILE_INDEX, TTL_ATTRIBUTE } from '@repo/keys';
import { ServiceTable } from './service-table';

/**
 * The two tables of the design: FileMetadata (files, paths, journal, chunk registry, upload
 * sessions, push connections; layout in lambdas/repo/keys.ts) and SharedFiles (who may see which
 * file). Both stream their changes to the push notifier: FileMetadata with the new item (a journal
 * entry names its file), SharedFiles with the keys only (a grant's key names its recipient).
 */
export class Tables extends Construct {
  readonly fileMetadata: ServiceTable;
  readonly sharedFiles: ServiceTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.fileMetadata = new ServiceTable(this, 'FileMetadata', {
      envName: ENV.fileTable,
      indexes: [
        { name: GSI1, partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
        // The chunk collector's way to namespaces and upload sessions: keys are all it reads there.
        { name: GC_INDEX, partitionKey: 'gcpk', sortKey: 'gcsk', keysOnly: true },
      ],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    this.sharedFiles = new ServiceTable(this, 'SharedFiles', {
      envName: ENV.sharedTable,
      indexes: [{ name: SHARED_BY_FILE_INDEX, partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
      stream: dynamodb.StreamViewType.KEYS_ONLY,
    });
  }
}
