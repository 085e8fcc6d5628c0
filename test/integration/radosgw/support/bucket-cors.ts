import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { CORSRule } from '@aws-sdk/client-s3';
import { ChunkBucket } from '../../../../lib/constructs/chunk-bucket';

interface CfnCorsRule {
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders?: string[];
  ExposedHeaders?: string[];
  MaxAge?: number;
}

/**
 * The CORS rules our chunk bucket is deployed with, taken from the synthesized construct (not copied),
 * in the shape PutBucketCors takes, so the preflight tests exercise exactly what production sets.
 */
export function chunkBucketCorsRules(webOrigins: readonly string[]): CORSRule[] {
  const stack = new Stack(new App(), 'CorsProbe');
  const { bucket } = new ChunkBucket(stack, 'Chunks', { webOrigins, accessLogsBucket: new s3.Bucket(stack, 'Logs') });
  const resource = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)];
  const rules = resource.Properties.CorsConfiguration.CorsRules as CfnCorsRule[];
  return rules.map((rule) => ({
    AllowedOrigins: rule.AllowedOrigins,
    AllowedMethods: rule.AllowedMethods,
    AllowedHeaders: rule.AllowedHeaders,
    ExposeHeaders: rule.ExposedHeaders,
    MaxAgeSeconds: rule.MaxAge,
  }));
}
