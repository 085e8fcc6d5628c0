import { Match } from 'aws-cdk-lib/assertions';
import { type Synthesized, logicalId, removeAssembly, synthesizeTote, webAppOrigin } from './support/synth';
import { DEVICE_HEADER } from '@contract/routes';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesizeTote();
});
afterAll(() => removeAssembly(synth));

describe('web app hosting', () => {
  it('serves the app from its own private bucket through origin access control, HTTPS only, index.html at /', () => {
    // Prepare
    const { stack, template } = synth;
    // Act / Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          AllowedMethods: ['GET', 'HEAD'],
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('SpaFallback'), 'FunctionARN'] } }],
          TrustedKeyGroups: Match.absent(),
        }),
        Origins: [
          Match.objectLike({
            DomainName: { 'Fn::GetAtt': [logicalId(stack.webApp.bucket), 'RegionalDomainName'] },
            OriginAccessControlId: Match.anyValue(),
          }),
        ],
        Logging: Match.objectLike({ Prefix: 'cloudfront-web/' }),
      }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'web-bucket/' }),
    });
  });

  it('leaves the chunk distribution as it was: every request needs a URL signed by the trusted key group', () => {
    // Prepare
    const { stack, template } = synth;
    const downloads = stack.node.findChild('Downloads').node;
    // Act / Assess: its one function is its own pack range guard, not the app's fallback
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          TrustedKeyGroups: [{ Ref: logicalId(downloads.findChild('SigningKeyGroup')) }],
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(downloads.findChild('PackRangeGuard')), 'FunctionARN'] } }],
        }),
        CacheBehaviors: Match.absent(),
      }),
    });
  });

  it('answers with a strict CSP: scripts, styles and workers from its own origin, nothing inline, no framing', () => {
    // Prepare
    const policies = synth.template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const csp = Object.values(policies)
      .map((p) => p.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig?.ContentSecurityPolicy)
      .find(Boolean);
    // Act
    const text = JSON.stringify(csp.ContentSecurityPolicy);
    // Assess
    expect(csp.Override).toBe(true);
    expect(text).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(text).toContain("style-src 'self'");
    expect(text).toContain("worker-src 'self'");
    expect(text).toContain("frame-ancestors 'none'");
    expect(text).not.toContain('unsafe-inline');
    expect(text).not.toMatch(/'unsafe-eval'/);
  });

  it('answers app routes (no file extension) with index.html and leaves files alone', () => {
    // Prepare
    const fn = Object.values(synth.template.findResources('AWS::CloudFront::Function'))[0];
    const handler = new Function(`${fn.Properties.FunctionCode}; return handler;`)() as (e: unknown) => { uri: string };
    const route = (uri: string) => handler({ request: { uri } }).uri;
    // Act / Assess
    expect(route('/files/docs/2024')).toBe('/index.html');
    expect(route('/shared')).toBe('/index.html');
    expect(route('/')).toBe('/index.html');
    expect(route('/assets/app-ABC.js')).toBe('/assets/app-ABC.js');
    expect(route('/config.json')).toBe('/config.json');
  });

  it('lets browsers call the API from the web app\'s origin only, with the token, JSON and device headers', () => {
    // Act / Assess
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [webAppOrigin(synth)],
        AllowHeaders: ['authorization', 'content-type', DEVICE_HEADER],
        AllowMethods: Match.arrayWith(['GET', 'POST', 'DELETE', 'PUT']),
        MaxAge: 7200,
      },
    });
  });

  it('gives the web app its own Cognito client: no secret, 12-hour sessions, revocable, trusted by the authorizer', () => {
    // Prepare
    const { stack, template } = synth;
    // Act / Assess
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      RefreshTokenValidity: 720,
      TokenValidityUnits: Match.objectLike({ RefreshToken: 'minutes' }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: Match.objectLike({
        Audience: [{ Ref: logicalId(stack.auth.cliClient) }, { Ref: logicalId(stack.auth.webClient) }],
      }),
    });
  });
});
