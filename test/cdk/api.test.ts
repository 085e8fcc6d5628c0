import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { PUSH } from '@contract/push';
import { ROUTES, routeKey } from '@contract/routes';
import { apiHandlers, PUSH_HANDLERS, type PushHandler } from '../../lib/source-layout';
import {
  type BundledAssembly,
  type Synthesized,
  BUNDLING_TIMEOUT_MS,
  bundleDirOf,
  bundledAssembly,
  loadBundleStandalone,
  logicalId,
  removeAssembly,
  render,
  synthesizeTote,
} from './support/synth';

let synth: Synthesized;
let bundles: BundledAssembly;
beforeAll(async () => {
  synth = synthesizeTote();
  bundles = await bundledAssembly();
}, BUNDLING_TIMEOUT_MS);
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
    const exported = loadBundleStandalone(bundles, functionOf(handler));
    // Assess
    expect(exported).toBe('function');
  });

  it(`is bundled standalone from lambdas/api/${handler}.ts`, () => {
    // Prepare
    const bundleDir = bundleDirOf(bundles, functionOf(handler));
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

describe('push channel (WebSocket API)', () => {
  const pushFunction = (handler: PushHandler) => synth.stack.push.functions.get(handler)!.fn;
  const functionArn = (handler: PushHandler) => ({ 'Fn::GetAtt': [logicalId(pushFunction(handler)), 'Arn'] });
  const lambdaUri = (handler: PushHandler) =>
    Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':lambda:path/2015-03-31/functions/', functionArn(handler), '/invocations'])] });
  const routeOf = (key: string) => onlyResource('AWS::ApiGatewayV2::Route', { RouteKey: key, ApiId: { Ref: logicalId(synth.stack.push.api) } });
  const integrationOf = (route: { properties: Record<string, unknown> }) =>
    synth.template.toJSON().Resources[(route.properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1].Ref];

  it('is a WebSocket API routing client messages by their action', () => {
    // Act / Assess
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: PUSH.routeSelectionExpression });
  });

  it('authorizes $connect with the Lambda authorizer, reading the token from Sec-WebSocket-Protocol', () => {
    // Prepare
    const authorizer = onlyResource('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'REQUEST' });
    // Act
    const connect = routeOf('$connect');
    // Assess
    expect(connect.properties).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer.id } });
    expect(authorizer.properties.IdentitySource).toEqual(['route.request.header.Sec-WebSocket-Protocol']);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'REQUEST', AuthorizerUri: lambdaUri('authorize') });
  });

  it.each([
    ['$connect', 'connect'],
    ['$disconnect', 'disconnect'],
    [PUSH.pingAction, 'ping'],
  ] as const)('route %s invokes the %s function', (key, handler) => {
    // Prepare
    const route = routeOf(key);
    // Act
    const integration = integrationOf(route);
    // Assess
    expect(integration.Properties.IntegrationType).toBe('AWS_PROXY');
    expect(render(integration.Properties.IntegrationUri)).toBe(
      `arn:<AWS::Partition>:apigateway:<AWS::Region>:lambda:path/2015-03-31/functions/<${logicalId(pushFunction(handler))}.Arn>/invocations`,
    );
  });

  it('answers pings (a route response), and only pings', () => {
    // Prepare
    const ping = routeOf(PUSH.pingAction);
    // Act
    const responses = synth.template.findResources('AWS::ApiGatewayV2::RouteResponse');
    // Assess
    expect(Object.values(responses).map((r) => r.Properties)).toEqual([
      { ApiId: { Ref: logicalId(synth.stack.push.api) }, RouteId: { Ref: ping.id }, RouteResponseKey: '$default' },
    ]);
  });

  it('has one auto-deployed stage v1 with throttling and access logs, and its URL is an output', () => {
    // Act / Assess
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: logicalId(synth.stack.push.api) },
      StageName: 'v1',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { Format: Match.stringLikeRegexp('"connectionId":"\\$context.connectionId"') },
    });
    expect(JSON.stringify(synth.template.toJSON().Outputs.PushUrl.Value)).toContain('"wss://"');
  });

  it.each([
    ['FileMetadata journal inserts', 'fileMetadata', { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'JRNL#' }] } } } }],
    ['SharedFiles grant changes', 'sharedFiles', { dynamodb: { Keys: { pk: { S: [{ prefix: 'USER#' }] } } } }],
  ] as const)('feeds the notifier %s from the table stream, at once, retried, failures kept', (_what, table, pattern) => {
    // Prepare
    const { stack } = synth;
    // Act
    const mapping = onlyResource('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.tables[table].table), 'StreamArn'] },
    });
    // Assess
    expect(mapping.properties).toMatchObject({
      FunctionName: { Ref: logicalId(pushFunction('notifier')) },
      StartingPosition: 'LATEST',
      MaximumBatchingWindowInSeconds: 0,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.push.failedBatches), 'Arn'] } } },
    });
    const filters = (mapping.properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([pattern]);
  });

  it.each(PUSH_HANDLERS.map((handler) => [handler]))('%s loads in plain Node with nothing but its bundle and its variables', (handler) => {
    // Act
    const exported = loadBundleStandalone(bundles, pushFunction(handler));
    // Assess
    expect(exported).toBe('function');
  });
});

describe('bundles of the functions behind no route', () => {
  it.each([
    ['chunk tracker', () => synth.stack.tracker.function.fn],
    ['data migrations (on event)', () => synth.stack.migrations.onEvent.fn],
    ['data migrations (is complete)', () => synth.stack.migrations.isComplete.fn],
    ['collector (scheduled)', () => synth.stack.collector.scheduleFunction.fn],
    ['collector (per namespace)', () => synth.stack.collector.namespaceFunction.fn],
    ['post-confirmation trigger', () => synth.stack.postConfirmation.fn],
  ])('%s loads in plain Node with nothing but its bundle and the variables the template gives it', (_name, fn) => {
    // Act
    const exported = loadBundleStandalone(bundles, fn());
    // Assess
    expect(exported).toBe('function');
  });
});
