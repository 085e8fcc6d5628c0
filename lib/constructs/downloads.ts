import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '@contract/env';
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
export class Downloads extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly publicKey: cloudfront.PublicKey;
  private readonly signingKeySecret: secretsmanager.ISecret;
  private readonly signingKeySecretName: string;

  constructor(scope: Construct, id: string, props: DownloadsProps) {
    super(scope, id);
    const webOrigins = requireWebOrigins('webOrigins', props.webOrigins ?? ['http://localhost:5173']);
    this.signingKeySecretName = props.signingKeySecretName;
    this.signingKeySecret = secretsmanager.Secret.fromSecretNameV2(this, 'SigningKeySecret', props.signingKeySecretName);
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

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Tote chunk downloads (signed URLs only)',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(props.bucket),
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: responseHeaders,
        trustedKeyGroups: [keyGroup],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
    });
  }

  /** `https://<distribution domain>`: the base the download handler appends chunk keys to. */
  get baseUrl(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** Lets a function sign download URLs: base URL, key pair id, secret name, and read access to that secret only. */
  bindSigner(fn: lambda.Function): void {
    fn.addEnvironment(ENV.downloadBaseUrl, this.baseUrl);
    fn.addEnvironment(ENV.signingKeyPairId, this.publicKey.publicKeyId);
    fn.addEnvironment(ENV.signingKeySecretId, this.signingKeySecretName);
    this.signingKeySecret.grantRead(fn);
  }
}
