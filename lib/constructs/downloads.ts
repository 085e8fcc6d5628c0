import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '@contract/env';
import { S3_LAYOUT } from '@contract/limits';
import { DEFAULT_WEB_ORIGINS } from '../secure-defaults';
import { requireWebOrigins } from '../validation';

export interface DownloadsProps {
  /** The chunk bucket; CloudFront reads it through origin access control, nothing else can. */
  readonly bucket: s3.IBucket;
  /** Where CloudFront writes standard access logs (prefix `cloudfront/`). */
  readonly logBucket: s3.IBucket;
  /** PEM of the public half of the URL-signing key pair (usually a CfnParameter's value). */
  readonly signingPublicKeyPem: string;
  /** Secrets Manager name of the PEM private key the download handler signs with. */
  readonly signingKeySecretName: string;
  /** Browser origins allowed to read chunks cross-origin. @default ['http://localhost:5173'] */
  readonly webOrigins?: readonly string[];
}

/**
 * Chunk downloads: a CloudFront distribution in front of the private bucket that serves only URLs
 * signed with the trusted key group's key. Chunks are immutable (content-addressed), so the edge
 * caches them with the managed caching-optimized policy.
 */
/**
 * Viewer-request guard for packs (lambdas/README.md, "Packs"): a pack URL signed with a `range` query
 * parameter (the signature covers it) serves only Range requests inside that range, so a reader of one
 * shared file gets its blob and none of the owner's other blobs in the pack. A pack URL without one
 * is the owner's own, for the whole pack.
 */
export const PACK_RANGE_GUARD = `function handler(event) {
  var request = event.request;
  var allowed = request.querystring.range;
  if (request.uri.indexOf('/${S3_LAYOUT.packPrefix}') !== 0 || !allowed) return request;
  var bounds = /^(\\d+)-(\\d+)$/.exec(allowed.value);
  var asked = request.headers.range ? /^bytes=(\\d+)-(\\d+)$/.exec(request.headers.range.value) : null;
  if (bounds && asked && +asked[1] >= +bounds[1] && +asked[1] <= +asked[2] && +asked[2] <= +bounds[2]) return request;
  return { statusCode: 403, statusDescription: 'Forbidden' };
}`;

export class Downloads extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly publicKey: cloudfront.PublicKey;
  private readonly signingKeySecretName: string;
  /** The secret's ARN as IAM matches it: Secrets Manager appends `-` and six random characters to the name. */
  private readonly signingKeySecretArn: string;

  constructor(scope: Construct, id: string, props: DownloadsProps) {
    super(scope, id);
    const webOrigins = requireWebOrigins('webOrigins', props.webOrigins ?? DEFAULT_WEB_ORIGINS);
    this.signingKeySecretName = props.signingKeySecretName;
    this.signingKeySecretArn = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${props.signingKeySecretName}-??????`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.publicKey = new cloudfront.PublicKey(this, 'SigningPublicKey', {
      encodedKey: props.signingPublicKeyPem,
      comment: 'Verifies Tote chunk download URLs',
    });
    const keyGroup = new cloudfront.KeyGroup(this, 'SigningKeyGroup', { items: [this.publicKey] });

    const responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ResponseHeaders', {
      corsBehavior: {
        accessControlAllowOrigins: [...webOrigins],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlExposeHeaders: ['ETag'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.hours(1),
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    // Handed to the origin as an imported bucket so CDK leaves the bucket policy alone: its automatic
    // grant would cover every key, while the edge needs the chunk prefix only (granted below).
    const originBucket = s3.Bucket.fromBucketAttributes(this, 'OriginBucket', {
      bucketArn: props.bucket.bucketArn,
      bucketRegionalDomainName: props.bucket.bucketRegionalDomainName,
    });
    const packRangeGuard = new cloudfront.Function(this, 'PackRangeGuard', {
      code: cloudfront.FunctionCode.fromInline(PACK_RANGE_GUARD),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Tote packs: a URL signed for a range serves only that range',
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Tote chunk downloads (signed URLs only)',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(originBucket),
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: responseHeaders,
        trustedKeyGroups: [keyGroup],
        functionAssociations: [{ function: packRangeGuard, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontReadsChunksAndPacksOnly',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        // Chunks, and packs of small blobs (read with Range requests).
        resources: [props.bucket.arnForObjects(`${S3_LAYOUT.chunkPrefix}*`), props.bucket.arnForObjects(`${S3_LAYOUT.packPrefix}*`)],
        conditions: { StringEquals: { 'AWS:SourceArn': this.distribution.distributionArn } },
      }),
    );
    Validations.of(this.distribution).acknowledge({
      id: 'Annotation::@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      reason: 'The bucket policy grant for this distribution is added just above, limited to the chunk and pack prefixes.',
    });
  }

  /** `https://<distribution domain>`: the base the download handler appends chunk keys to. */
  get baseUrl(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Lets a function sign download URLs: base URL, key pair id, secret name, and GetSecretValue on that
   * one secret (Secret.grantRead would add DescribeSecret, which signing never calls).
   */
  bindSigner(fn: lambda.Function): void {
    fn.addEnvironment(ENV.downloadBaseUrl, this.baseUrl);
    fn.addEnvironment(ENV.signingKeyPairId, this.publicKey.publicKeyId);
    fn.addEnvironment(ENV.signingKeySecretId, this.signingKeySecretName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.signingKeySecretArn] }),
    );
  }
}
