import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucketProps } from '../secure-defaults';
import { requireIntInRange } from '../validation';

export interface LogBucketProps {
  /** Days access logs are kept. @default 90 */
  readonly retentionDays?: number;
}

/** Destination for S3 server access logs and CloudFront standard logs. */
export class LogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LogBucketProps = {}) {
    super(scope, id);
    const retentionDays = requireIntInRange('retentionDays', props.retentionDays ?? 90, 1, 3650);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucketProps(),
      // CloudFront standard logging delivers through an ACL grant, so ACLs must stay enabled here.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(retentionDays) }],
    });
  }
}
