/**
 * The push channel's template models and the pure parts of its local runtime: the WebSocket API and
 * the stream event source mappings read from a template shaped like CDK's, Lambda event filter
 * patterns, route selection, authorizer policies and identity sources, execute-api URLs made local.
 */
import { localExecuteApiUrl } from '../../../local/lambda/environment';
import { identityPresent, policyAllows } from '../../../local/socket/authorizer';
import { selectRoute } from '../../../local/socket/gateway';
import { compileFilters } from '../../../local/streams/event-filter';
import { functionModels } from '../../../local/template/functions';
import { apiRoutes } from '../../../local/template/api-model';
import { localResolver } from '../../../local/template/local-resolver';
import type { LocalValues } from '../../../local/template/physical';
import { socketApiModel } from '../../../local/template/socket-model';
import { streamSourceModels } from '../../../local/template/stream-sources-model';
import type { CfnTemplate } from '../../../local/template/types';

const fn = () => ({ Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' }, Metadata: { 'aws:asset:path': 'asset.x' } });
const lambdaUri = (id: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [id, 'Arn'] }, '/invocations']],
});
const integration = (id: string) => ({ Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Ws' }, IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaUri(id) } });
const route = (key: string, target: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ApiGatewayV2::Route',
  Properties: { ApiId: { Ref: 'Ws' }, RouteKey: key, AuthorizationType: 'NONE', Target: { 'Fn::Join': ['', ['integrations/', { Ref: target }]] }, ...extra },
});

const template: CfnTemplate = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } } },
    Authorize: fn(),
    Connect: fn(),
    Ping: fn(),
    Notifier: fn(),
    Ws: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' } },
    Authorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: { ApiId: { Ref: 'Ws' }, AuthorizerType: 'REQUEST', AuthorizerUri: lambdaUri('Authorize'), IdentitySource: ['route.request.header.Sec-WebSocket-Protocol'], Name: 'TokenAuthorizer' },
    },
    ConnectIntegration: integration('Connect'),
    PingIntegration: integration('Ping'),
    ConnectRoute: route('$connect', 'ConnectIntegration', { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'Authorizer' } }),
    PingRoute: route('ping', 'PingIntegration', { RouteResponseSelectionExpression: '$default' }),
    PingResponse: { Type: 'AWS::ApiGatewayV2::RouteResponse', Properties: { ApiId: { Ref: 'Ws' }, RouteId: { Ref: 'PingRoute' }, RouteResponseKey: '$default' } },
    Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Ws' }, StageName: 'v1', AutoDeploy: true } },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
        FunctionName: { Ref: 'Notifier' },
        StartingPosition: 'LATEST',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 0,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"],"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"JRNL#"}]}}}}' }] },
      },
    },
  },
};
const values: LocalValues = { stackName: 'Tote', userPoolIds: {}, userPoolClientIds: {}, keyPairIds: {}, edgeHost: '127.0.0.1:1', apiUrl: 'http://127.0.0.1:2' };
const resolve = localResolver(template, values, {});
const functions = functionModels(template, resolve, '/out');

describe('template models', () => {
  it('read the WebSocket API: stage, route selection, each route\'s function, which routes answer, the $connect authorizer', () => {
    // Act
    const api = socketApiModel(template, resolve, functions);
    // Assess
    expect(api).toMatchObject({ logicalId: 'Ws', stageName: 'v1', routeSelectionExpression: '$request.body.action' });
    expect([...api!.routes.values()].map((r) => [r.routeKey, r.function.logicalId, r.answers])).toEqual([
      ['$connect', 'Connect', false],
      ['ping', 'Ping', true],
    ]);
    expect(api!.authorizer).toMatchObject({ name: 'TokenAuthorizer', identitySource: ['route.request.header.Sec-WebSocket-Protocol'] });
    expect(api!.authorizer!.function.logicalId).toBe('Authorize');
  });

  it('leave WebSocket routes out of the HTTP API', () => {
    // Act / Assess
    expect(apiRoutes(template, resolve, functions, (issuer) => issuer)).toEqual([]);
  });

  it('read a stream event source mapping: table, function, position, batching, retries, filters', () => {
    // Act
    const [source] = streamSourceModels(template, resolve, functions);
    // Assess
    expect(source).toMatchObject({
      table: 'Table',
      eventSourceArn: expect.stringMatching(/^arn:aws:dynamodb:[a-z0-9-]+:\d+:table\/Tote-Table\/stream\//),
      startingPosition: 'LATEST',
      batchSize: 100,
      maxBatchingWindowSeconds: 0,
      maxRetries: 5,
      bisectOnError: true,
      maxRecordAgeSeconds: -1,
      filterPatterns: [{ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'JRNL#' }] } } } }],
    });
    expect(source.function.logicalId).toBe('Notifier');
  });

  it('refuse event sources that are not table streams', () => {
    // Prepare
    const sqs: CfnTemplate = { Resources: { ...template.Resources, Mapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: 'arn:aws:sqs:us-east-1:1:q', FunctionName: { Ref: 'Notifier' } } } } };
    // Act / Assess
    expect(() => streamSourceModels(sqs, localResolver(sqs, values, {}), functions)).toThrow(/only DynamoDB table streams/);
  });
});

describe('Lambda event filters', () => {
  const record = (eventName: string, pk: string, extra: Record<string, unknown> = {}) => ({ eventName, dynamodb: { Keys: { pk: { S: pk } }, SizeBytes: 40, ...extra } });
  it.each([
    ['a literal and a prefix', { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'JRNL#' }] } } } }, [true, false, false, false]],
    ['anything-but', { eventName: [{ 'anything-but': ['REMOVE'] }] }, [true, true, true, false]],
    ['numeric ranges', { dynamodb: { SizeBytes: [{ numeric: ['>', 10, '<=', 40] }] } }, [true, true, true, false]],
    ['exists: false', { dynamodb: { NewImage: [{ exists: false }] } }, [true, false, true, true]],
    ['suffix and equals-ignore-case', { eventName: [{ 'equals-ignore-case': 'insert' }], dynamodb: { Keys: { pk: { S: [{ suffix: '#a' }] } } } }, [true, false, false, false]],
  ])('%s', (_what, pattern, expected) => {
    // Prepare
    const matches = compileFilters([pattern]);
    // Act
    const records = [record('INSERT', 'JRNL#a'), record('INSERT', 'CONN#b', { NewImage: {} }), record('MODIFY', 'JRNL#a'), record('REMOVE', 'JRNL#a', { SizeBytes: 5 })];
    const results = records.map(matches);
    // Assess
    expect(results).toEqual(expected);
  });

  it('pass every record without patterns, and a record matching any of several', () => {
    // Act / Assess
    expect(compileFilters([])({})).toBe(true);
    expect(compileFilters([{ eventName: ['REMOVE'] }, { eventName: ['INSERT'] }])({ eventName: 'INSERT' })).toBe(true);
  });

  it('refuse an operator they do not know instead of guessing', () => {
    // Act / Assess
    expect(() => compileFilters([{ eventName: [{ wildcard: 'IN*' }] }])).toThrow(/"wildcard" is not supported/);
  });
});

describe('WebSocket gateway rules', () => {
  it('select a route by the message body, or none', () => {
    // Act / Assess
    expect(selectRoute('$request.body.action', '{"action":"ping"}')).toBe('ping');
    expect(selectRoute('$request.body.meta.kind', '{"meta":{"kind":"x"}}')).toBe('x');
    expect(selectRoute('$request.body.action', 'not json')).toBeUndefined();
    expect(selectRoute('$request.body.action', '{"other":1}')).toBeUndefined();
  });

  it('allow a connection only when a policy statement allows invoking the method and none denies it', () => {
    // Prepare
    const arn = 'arn:aws:execute-api:us-east-1:000000000000:api/v1/$connect';
    const statement = (Effect: string, Resource: string) => ({ principalId: 'u', policyDocument: { Statement: [{ Effect, Action: 'execute-api:Invoke', Resource }] } });
    // Act / Assess
    expect(policyAllows(statement('Allow', arn), arn)).toBe(true);
    expect(policyAllows(statement('Allow', 'arn:aws:execute-api:us-east-1:000000000000:api/*'), arn)).toBe(true);
    expect(policyAllows(statement('Allow', 'arn:aws:execute-api:us-east-1:000000000000:other/*'), arn)).toBe(false);
    expect(policyAllows(statement('Deny', arn), arn)).toBe(false);
    expect(policyAllows({ principalId: 'u' }, arn)).toBe(false);
  });

  it('require every identity source, whatever the header name\'s case', () => {
    // Prepare
    const model = { name: 'a', function: functions[0], identitySource: ['route.request.header.Sec-WebSocket-Protocol'] };
    // Act / Assess
    expect(identityPresent(model, { headers: { 'sec-websocket-protocol': 'p, t' }, multiValueHeaders: {} })).toBe(true);
    expect(identityPresent(model, { headers: { 'Sec-WebSocket-Protocol': ' ' }, multiValueHeaders: {} })).toBe(false);
    expect(identityPresent(model, { headers: {}, multiValueHeaders: {} })).toBe(false);
  });

  it('make the execute-api addresses of the template\'s APIs local, and leave other values alone', () => {
    // Prepare
    const servers = { Ws: 'http://127.0.0.1:4086' };
    // Act / Assess
    expect(localExecuteApiUrl('wss://Ws.execute-api.us-east-1.amazonaws.com/v1', servers)).toBe('ws://127.0.0.1:4086/v1');
    expect(localExecuteApiUrl('https://Ws.execute-api.us-east-1.amazonaws.com/v1', servers)).toBe('http://127.0.0.1:4086/v1');
    expect(localExecuteApiUrl('https://Other.execute-api.us-east-1.amazonaws.com/v1', servers)).toBe('https://Other.execute-api.us-east-1.amazonaws.com/v1');
    expect(localExecuteApiUrl('Tote-Table', servers)).toBe('Tote-Table');
  });
});
