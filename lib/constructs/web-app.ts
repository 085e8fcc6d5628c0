import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { webContentSecurityPolicy } from '@contract/web-hosting';
import { privateBucketProps } from '../secure-defaults';

export interface WebAppProps {
  /** Where the assets bucket's S3 access logs (prefix `web-bucket/`) and CloudFront's logs (prefix `cloudfront-web/`) go. */
  readonly logBucket: s3.IBucket;
}

/**
 * A path with no file extension is a place in the app (`/files/docs`, `/shared`): the CDN answers it
 * with index.html and the app routes. Only this behavior runs it, so a missing asset stays a 403.
 */
const SPA_FALLBACK = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The web app's hosting: a private bucket of built assets (published by `npm run publish:web`) behind
 * its own CloudFront distribution with origin access control, a strict CSP and the SPA fallback.
 *
 * Its own distribution, not a behavior of the chunk distribution: the chunk bucket's CORS rules and
 * the API's CORS must name the app's origin, and the chunk distribution is itself built on the chunk
 * bucket, so one distribution for both would be a CloudFormation dependency cycle. The chunk
 * distribution stays exactly as it was (signed URLs only).
 *
 * connect-src names the AWS endpoints by pattern for the same reason: the exact API, bucket and chunk
 * distribution hosts all depend on this origin. What the app may run stays exact: scripts, styles and
 * workers from this origin only, no inline code.
 */
export class WebApp extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Assets', {
      ...privateBucketProps(),
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 'web-bucket/',
    });
    const responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ResponseHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: webContentSecurityPolicy({
            api: `https://*.execute-api.${Aws.REGION}.amazonaws.com`,
            storage: `https://*.s3.${Aws.REGION}.amazonaws.com`,
            downloads: 'https://*.cloudfront.net',
            auth: `https://cognito-idp.${Aws.REGION}.amazonaws.com`,
          }),
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Tote web app: paths without a file extension are app routes, answered with index.html',
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Tote web app',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: responseHeaders,
        functionAssociations: [{ function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront-web/',
    });
  }

  /** `https://<distribution domain>`: the origin browsers send, which the API and the chunk storage accept. */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
