import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { ENV } from '@contract/env';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import { DEFAULT_WEB_ORIGINS, abandonedDataLifecycle, privateBucketProps } from '../secure-defaults';
import { requireIntInRange, requireWebOrigins } from '../validation';

/**
 * What a function may do in the bucket. Each grant is scoped to one key prefix:
 * - presignChunkPut: sign PUT URLs for chunks (the signature carries the function's own rights);
 * - verifyChunks: read a chunk version, delete it when it fails verification, and see that a key is
 *   gone (ListBucket turns a missing key into 404 instead of 403, which the tracker must tell apart);
 * - readManifests / writeManifests: large chunk manifests kept outside DynamoDB;
 * - presignStagedPut / verifyStaged: the same for chunks a non-owner uploads, on their staging keys;
 * - placeChunks: copy a verified staged chunk to the owner's chunk key (PutObject is the copy's write right);
 * - collectChunks / collectManifests / collectStaged: the chunk collector lists versions under the
 *   prefix (ListBucketVersions, limited to it by condition) and deletes them by version id;
 * - seeChunks / seeStaged: whether a chunk (or staged chunk) key holds an object (HEAD), and nothing more;
 * - presignPackPut / verifyPacks: the same as for chunks, on the pack keys (lambdas/README.md, "Packs").
 */
export type BucketAccess =
  | 'presignChunkPut'
  | 'verifyChunks'
  | 'readManifests'
  | 'writeManifests'
  | 'presignStagedPut'
  | 'verifyStaged'
  | 'placeChunks'
  | 'collectChunks'
  | 'collectManifests'
  | 'collectStaged'
  | 'seeChunks'
  | 'seeStaged'
  | 'presignPackPut'
  | 'verifyPacks';

const VERIFY_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion'];

/** Actions and key prefix behind each access kind (also read by lib/nag-suppressions.ts). */
export const BUCKET_GRANTS: Record<BucketAccess, { readonly prefix: string; readonly actions: readonly string[] }> = {
  presignChunkPut: { prefix: S3_LAYOUT.chunkPrefix, actions: ['s3:PutObject'] },
  verifyChunks: { prefix: S3_LAYOUT.chunkPrefix, actions: VERIFY_ACTIONS },
  readManifests: { prefix: S3_LAYOUT.manifestPrefix, actions: ['s3:GetObject'] },
  writeManifests: { prefix: S3_LAYOUT.manifestPrefix, actions: ['s3:PutObject'] },
  collectChunks: { prefix: S3_LAYOUT.chunkPrefix, actions: ['s3:DeleteObjectVersion'] },
  collectManifests: { prefix: S3_LAYOUT.manifestPrefix, actions: ['s3:DeleteObjectVersion'] },
  collectStaged: { prefix: S3_LAYOUT.stagingPrefix, actions: ['s3:DeleteObjectVersion'] },
  presignStagedPut: { prefix: S3_LAYOUT.stagingPrefix, actions: ['s3:PutObject'] },
  verifyStaged: { prefix: S3_LAYOUT.stagingPrefix, actions: VERIFY_ACTIONS },
  placeChunks: { prefix: S3_LAYOUT.chunkPrefix, actions: ['s3:PutObject'] },
  // HEAD needs GetObject: S3 has no narrower right for it.
  seeChunks: { prefix: S3_LAYOUT.chunkPrefix, actions: ['s3:GetObject'] },
  seeStaged: { prefix: S3_LAYOUT.stagingPrefix, actions: ['s3:GetObject'] },
  presignPackPut: { prefix: S3_LAYOUT.packPrefix, actions: ['s3:PutObject'] },
  verifyPacks: { prefix: S3_LAYOUT.packPrefix, actions: VERIFY_ACTIONS },
};

/** Access kinds that also list the versions of keys under their prefix. */
const LISTS_VERSIONS: ReadonlySet<BucketAccess> = new Set(['collectChunks', 'collectManifests', 'collectStaged']);

/** Grants that read keys which may be missing: ListBucket turns a missing key into 404 instead of 403. */
const SEES_MISSING_KEYS: ReadonlySet<BucketAccess> = new Set(['verifyChunks', 'verifyStaged', 'seeChunks', 'seeStaged', 'verifyPacks']);

/** Staged chunks nobody's tracker took (their sessions expired a day before) are removed after this. */
const STAGED_EXPIRY = Duration.seconds(LIMITS.uploadSessionTtlSeconds).plus(Duration.days(1));

export interface ChunkBucketProps {
  /** Browser origins allowed to PUT chunks and GET/HEAD them directly. @default ['http://localhost:5173'] */
  readonly webOrigins?: readonly string[];
  /** Where S3 server access logs go (prefix `chunk-bucket/`). */
  readonly accessLogsBucket: s3.IBucket;
  /** Days an overwritten or deleted object version is kept before it expires. @default 30 */
  readonly noncurrentVersionDays?: number;
}

/**
 * The bucket holding content-addressed chunks and large manifests. Private and versioned: a version
 * id pins exactly which upload the tracker verified or deletes.
 */
export class ChunkBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ChunkBucketProps) {
    super(scope, id);
    const webOrigins = requireWebOrigins('webOrigins', props.webOrigins ?? DEFAULT_WEB_ORIGINS);
    const noncurrentDays = requireIntInRange('noncurrentVersionDays', props.noncurrentVersionDays ?? 30, 1, 3650);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucketProps(),
      versioned: true,
      lifecycleRules: [
        ...abandonedDataLifecycle(Duration.days(noncurrentDays)),
        { id: 'expire-abandoned-staged-chunks', prefix: S3_LAYOUT.stagingPrefix, expiration: STAGED_EXPIRY },
      ],
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'chunk-bucket/',
      cors: [
        {
          allowedOrigins: [...webOrigins],
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          // Presigned PUTs carry signed headers (If-None-Match, Content-Type, x-amz-meta-*), so allow any.
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });
  }

  /** Sets the bucket-name variable and grants each requested access on its prefix only. */
  bind(fn: lambda.Function, ...access: readonly BucketAccess[]): void {
    fn.addEnvironment(ENV.bucket, this.bucket.bucketName);
    // S3 checks the SHA-256 every uncompressed chunk's presigned PUT carries, so verifiers may trust it.
    if (access.includes('verifyChunks') || access.includes('verifyStaged')) fn.addEnvironment(ENV.storeVerifiesChecksums, 'true');
    for (const kind of access) {
      const { prefix, actions } = BUCKET_GRANTS[kind];
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: [...actions], resources: [this.bucket.arnForObjects(`${prefix}*`)] }),
      );
      if (SEES_MISSING_KEYS.has(kind)) {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
      }
      if (LISTS_VERSIONS.has(kind)) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['s3:ListBucketVersions'],
            resources: [this.bucket.bucketArn],
            conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
          }),
        );
      }
    }
  }

  /** Every object created under the chunk, staging and pack prefixes invokes `fn` (S3 event notifications). */
  onChunkCreated(fn: lambda.IFunction): void {
    for (const prefix of [S3_LAYOUT.chunkPrefix, S3_LAYOUT.stagingPrefix, S3_LAYOUT.packPrefix]) {
      this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn), { prefix });
    }
  }
}
