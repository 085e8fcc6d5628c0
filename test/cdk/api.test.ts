import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES, routeKey } from '@contract/routes';
import { apiHandlers } from '../../lib/source-layout';
import { type Synthesized, loadBundleStandalone, logicalId, removeAssembly, synthesizeTote } from './support/synth';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesizeTote();
});
afterAll(() => removeAssembly(synth));

const functionOf = (handler: string) => synth.stack.apiFunctions.get(handler as never)!.fn;

function onlyResource(type: string, props: object): { id: string; properties: Record<string, unknown> } {
  const found = synth.template.findResources(type, { Properties: props });
  expect(Object.keys(found)).toHaveLength(1);
  const [id, resource] = Object.entries(found)[0];
  return { id, properties: resource.Properties };
}

describe('JWT authorizer', () => {
  it('trusts the user pool as issuer and the CLI and web clients as audience, from the Authorization header', () => {
    // Prepare
    const { stack, template } = synth;
    // Act / Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(stack.auth.cliClient) }, { Ref: logicalId(stack.auth.webClient) }],
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: logicalId(stack.auth.userPool) }]],
        },
      },
    });
  });
});

describe.each(Object.values(ROUTES).map((route) => [routeKey(route), route] as const))('route %s', (key, route) => {
  it(route.auth ? 'requires a valid JWT' : 'is public (health only)', () => {
    // Prepare
    const authorizer = onlyResource('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    // Act
    const { properties } = onlyResource('AWS::ApiGatewayV2::Route', { RouteKey: key });
    // Assess
    if (route.auth) {
      expect(properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer.id } });
    } else {
      expect(key).toBe('GET /health');
      expect(properties.AuthorizationType).toBe('NONE');
      expect(properties.AuthorizerId).toBeUndefined();
    }
  });

  it(route.auth ? 'accepts access tokens only (requires the scope no ID token carries)' : 'requires no scope', () => {
    // Act
    const { properties } = onlyResource('AWS::ApiGatewayV2::Route', { RouteKey: key });
    // Assess
    expect(properties.AuthorizationScopes).toEqual(route.auth ? ['aws.cognito.signin.user.admin'] : undefined);
  });

  it(`invokes the ${route.handler} function with payload format 2.0`, () => {
    // Prepare
    const { properties } = onlyResource('AWS::ApiGatewayV2::Route', { RouteKey: key });
    const integrationId = (properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1].Ref;
    // Act
    const integration = synth.template.toJSON().Resources[integrationId];
    // Assess
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(functionOf(route.handler)), 'Arn'] },
    });
  });
});

describe.each(apiHandlers().map((handler) => [handler]))('handler %s', (handler) => {
  it('has one Node 22 arm64 function with source maps and Powertools settings', () => {
    // Prepare
    const fn = functionOf(handler);
    // Act / Assess
    synth.template.hasResource('AWS::Lambda::Function', {
      Properties: Match.objectLike({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'tote',
            POWERTOOLS_LOG_LEVEL: 'INFO',
          }),
        },
      }),
      Metadata: Match.objectLike({ 'aws:cdk:path': fn.node.path + '/Resource' }),
    });
  });

  it('loads in plain Node with nothing but its bundle and the variables the template gives it', () => {
    // Act
    const exported = loadBundleStandalone(synth, functionOf(handler));
    // Assess
    expect(exported).toBe('function');
  });

  it(`is bundled standalone from lambdas/api/${handler}.ts`, () => {
    // Prepare
    const assetPath = synth.template.toJSON().Resources[logicalId(functionOf(handler))].Metadata['aws:asset:path'];
    const bundleDir = path.join(synth.outdir, assetPath);
    // Act
    const map = JSON.parse(fs.readFileSync(path.join(bundleDir, 'index.js.map'), 'utf8')) as { sources: string[] };
    // Assess
    expect(fs.readdirSync(bundleDir).sort()).toEqual(['index.js', 'index.js.map']);
    expect(map.sources.some((source) => source.endsWith(`lambdas/api/${handler}.ts`))).toBe(true);
  });
});

describe('default stage', () => {
  it('auto-deploys $default with throttling and JSON access logs kept for a month', () => {
    // Prepare
    const { stack, template } = synth;
    // Act / Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(template.toJSON().Outputs.ApiUrl.Value).toEqual({ 'Fn::GetAtt': [logicalId(stack.api.httpApi), 'ApiEndpoint'] });
  });
});
