/**
 * Creates each AWS::S3::Bucket unless it exists, and gives it the template's versioning and CORS rules,
 * as CloudFormation would: the tracker verifies and deletes the exact version an event names, and
 * browsers PUT and GET chunks directly, so the local S3 must answer their preflights as the real bucket would.
 */
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketVersioningCommand,
  type BucketVersioningStatus,
  type CORSRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { localOrigin } from '../http/cors';

interface CfnCorsRule {
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposedHeaders?: string[];
  Id?: string;
  MaxAge?: number;
}

/** `s3.versioning` false: the template's versioning is left out (the tracker then works on the current object). */
export async function ensureBucket(
  client: S3Client,
  name: string,
  properties: Readonly<Record<string, unknown>>,
  s3: { readonly versioning: boolean },
): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: name }));
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw err;
    await client.send(new CreateBucketCommand({ Bucket: name }));
  }
  const versioning = (properties.VersioningConfiguration as { Status?: BucketVersioningStatus } | undefined)?.Status;
  if (versioning && s3.versioning) {
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: versioning } }));
  }
  const rules = (properties.CorsConfiguration as { CorsRules?: CfnCorsRule[] } | undefined)?.CorsRules;
  if (rules?.length) {
    await client.send(new PutBucketCorsCommand({ Bucket: name, CORSConfiguration: { CORSRules: rules.map(corsRule) } }));
  }
}

/**
 * CloudFormation and the S3 API name the same fields differently; origins take their local form (the
 * web app's https distribution address is served over http here), as the API's and the edge's CORS do.
 */
const corsRule = (rule: CfnCorsRule): CORSRule => ({
  ID: rule.Id,
  AllowedHeaders: rule.AllowedHeaders,
  AllowedMethods: rule.AllowedMethods,
  AllowedOrigins: rule.AllowedOrigins.map(localOrigin),
  ExposeHeaders: rule.ExposedHeaders,
  MaxAgeSeconds: rule.MaxAge,
});
