import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Secure and durable settings as small pure functions, so every bucket and table in the stack starts
 * from the same baseline and a reviewer can check the baseline in one place.
 */

/** Browser origins allowed by CORS when none are given: only the local development web client. */
export const DEFAULT_WEB_ORIGINS: readonly string[] = ['http://localhost:5173'];

/** Private, encrypted, TLS-only, owner-enforced, kept when the stack goes: user data must outlive it. */
export function privateBucketProps(): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/**
 * Lifecycle rules for data nobody will come back for: multipart uploads a client abandoned, versions
 * overwritten or deleted long ago, and the delete markers left once those versions expire.
 */
export function abandonedDataLifecycle(noncurrentVersionExpiration: Duration): s3.LifecycleRule[] {
  return [
    { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    { id: 'expire-noncurrent-versions', noncurrentVersionExpiration },
    { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
  ];
}

/** On demand, point-in-time recovery, protected from deletion and retained: metadata is the index to every byte. */
export function durableTableProps(): Pick<
  dynamodb.TableProps,
  'billingMode' | 'pointInTimeRecoverySpecification' | 'removalPolicy' | 'deletionProtection' | 'encryption'
> {
  return {
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
  };
}
