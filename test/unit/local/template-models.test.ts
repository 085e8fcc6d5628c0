/** Template -> model on a small template shaped like CDK's output for the same constructs. */
import { apiRoutes } from '../../../local/template/api-model';
import { distributionModels } from '../../../local/template/edge-model';
import { functionModels } from '../../../local/template/functions';
import { localResolver } from '../../../local/template/local-resolver';
import { notificationModels } from '../../../local/template/notifications-model';
import type { LocalValues } from '../../../local/template/physical';
import type { CfnTemplate } from '../../../local/template/types';

const fn = (timeout?: number) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Handler: 'index.handler',
    ...(timeout ? { Timeout: timeout } : {}),
    Environment: { Variables: { TABLE: { Ref: 'Table' }, DOWNLOAD_BASE_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Cdn', 'DomainName'] }]] } } },
  },
  Metadata: { 'aws:asset:path': 'asset.abc' },
});

const template: CfnTemplate = {
  Parameters: { SigningPublicKeyPem: { Type: 'String' } },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
    Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Pool' } } },
    Health: fn(),
    Tracker: fn(120),
    Inline: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Code: { ZipFile: 'x' } } },
    TrackerRetries: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'Tracker' }, MaximumRetryAttempts: 1 } },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
    HealthIntegration: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: { IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Health', 'Arn'] }, PayloadFormatVersion: '2.0' },
    },
    Authorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: 'Client' }],
          Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: 'Pool' }]] },
        },
      },
    },
    PublicRoute: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: { RouteKey: 'GET /health', AuthorizationType: 'NONE', Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'HealthIntegration' }]] } },
    },
    PrivateRoute: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        RouteKey: 'GET /me',
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: 'Authorizer' },
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'HealthIntegration' }]] },
      },
    },
    Notifications: {
      Type: 'Custom::S3BucketNotifications',
      Properties: {
        BucketName: { Ref: 'Bucket' },
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'chunks/' }] } },
              LambdaFunctionArn: { 'Fn::GetAtt': ['Tracker', 'Arn'] },
            },
          ],
        },
      },
    },
    Key: { Type: 'AWS::CloudFront::PublicKey', Properties: { PublicKeyConfig: { EncodedKey: { Ref: 'SigningPublicKeyPem' } } } },
    KeyGroup: { Type: 'AWS::CloudFront::KeyGroup', Properties: { KeyGroupConfig: { Items: [{ Ref: 'Key' }] } } },
    Cdn: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: {
        DistributionConfig: {
          Origins: [{ Id: 'o1', DomainName: { 'Fn::GetAtt': ['Bucket', 'RegionalDomainName'] } }],
          DefaultCacheBehavior: { TargetOriginId: 'o1', TrustedKeyGroups: [{ Ref: 'KeyGroup' }], AllowedMethods: ['GET', 'HEAD'] },
          CacheBehaviors: [{ PathPattern: 'public/*', TargetOriginId: 'o1' }],
        },
      },
    },
  },
};

const values: LocalValues = {
  stackName: 'Tote',
  userPoolIds: { Pool: 'local_pool1' },
  userPoolClientIds: { Client: 'client1' },
  keyPairIds: { Key: 'KTESTKEY' },
  edgeHost: '127.0.0.1:4081',
  apiUrl: 'http://127.0.0.1:4080',
};
const resolve = localResolver(template, values, { SigningPublicKeyPem: 'PEM' });
const functions = functionModels(template, resolve, '/out');

test('functions with a bundled asset are found, with local names, entry file, timeout and retries', () => {
  expect(functions.map((f) => [f.logicalId, f.name, f.entryFile, f.timeoutSeconds, f.asyncRetries])).toEqual([
    ['Health', 'Tote-Health', '/out/asset.abc/index.js', 3, 2],
    ['Tracker', 'Tote-Tracker', '/out/asset.abc/index.js', 120, 1],
  ]);
  expect(functions[0].environment).toEqual({ TABLE: 'Tote-Table', DOWNLOAD_BASE_URL: 'https://127.0.0.1:4081' });
});

test('routes name their function and, where there is one, the authorizer with the local issuer', () => {
  // Act
  const routes = apiRoutes(template, resolve, functions, (issuer) => issuer.replace(/^https:\/\/cognito-idp\.[^/]+/, 'http://cognito'));

  // Assess
  expect(routes.map((r) => [r.routeKey, r.function.logicalId, r.authorizer?.issuer, r.authorizer?.audience])).toEqual([
    ['GET /health', 'Health', undefined, undefined],
    ['GET /me', 'Health', 'http://cognito/local_pool1', ['client1']],
  ]);
});

test('S3 notifications name the bucket, the function and the key filter', () => {
  expect(notificationModels(template, resolve, functions).map((n) => [n.bucket, n.function.logicalId, n.events, n.prefix, n.suffix])).toEqual([
    ['tote-bucket', 'Tracker', ['s3:ObjectCreated:*'], 'chunks/', ''],
  ]);
});

test('the distribution lists specific behaviors before the default, with the keys each trusts', () => {
  // Act
  const [cdn] = distributionModels(template, resolve);

  // Assess
  expect(cdn?.behaviors.map((b) => [b.pathPattern, b.bucket, b.trustedKeyPairIds])).toEqual([
    ['public/*', 'tote-bucket', []],
    ['*', 'tote-bucket', ['KTESTKEY']],
  ]);
  expect(cdn?.publicKeys).toEqual(new Map([['KTESTKEY', 'PEM']]));
});
