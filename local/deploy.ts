/**
 * "Deploys" the synthesized template onto the running local services, as CloudFormation would onto AWS:
 * user pools, tables, buckets and the signing secret are created, custom resources (the data
 * migrations) run, then every function gets a worker pool, and the API, the edge, the notification
 * dispatcher, the schedules, the Lambda Invoke API (cognito-local's triggers, functions invoking
 * functions), the WebSocket gateway and the stream pollers are connected to them.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '@contract/env';
import { apiHandler } from './api/server';
import type { DataLayout } from './config';
import { edgeHandler } from './edge/server';
import type { S3Backend } from './emulators/s3-backend';
import type { SecretsStandIn } from './emulators/secrets';
import type { EventSink } from './host/events';
import type { DeferredServer } from './http/deferred-server';
import { functionEnvironment, type LocalEndpoints } from './lambda/environment';
import { createFunctionPool, type FunctionPool } from './lambda/function-pool';
import { LOCAL_RETRY_DELAYS_MS } from './lambda/async-invoke';
import { lambdaService } from './lambda/invoke-api';
import { startDispatcher } from './notifications/dispatcher';
import { socketGateway } from './socket/gateway';
import { managementHandler } from './socket/management';
import { startStreamPollers } from './streams/poller';
import { ensureBucket } from './provision/buckets';
import { createCustomResources } from './provision/custom-resources';
import { keyPairIdFor, type SigningKey } from './provision/signing-key';
import { readState, writeState } from './provision/state';
import { ensureTable } from './provision/tables';
import { ensureUserPools } from './provision/user-pools';
import type { PoolRules } from './emulators/cognito-front';
import { passwordPolicyOf } from './emulators/password-policy';
import type { SynthResult } from './synth/synthesize';
import { apiCors, apiRoutes } from './template/api-model';
import { customResourceModels } from './template/custom-resources-model';
import { webContentSecurityPolicy } from '@contract/web-hosting';
import { publishWeb } from '../web/publish';
import { distributionModels, servesSignedUrlsOnly } from './template/edge-model';
import { functionModels, type FunctionModel } from './template/functions';
import type { Resolver } from './template/intrinsics';
import { localResolver, SIGNING_PUBLIC_KEY_PARAMETER } from './template/local-resolver';
import { notificationModels } from './template/notifications-model';
import { scheduleModels } from './template/schedules-model';
import { startScheduler } from './schedules/scheduler';
import { userPoolTriggers, type LocalTrigger } from './template/user-pool-triggers';
import { apisOf } from './template/integrations';
import { socketApiModel } from './template/socket-model';
import { streamSourceModels } from './template/stream-sources-model';
import type { LocalValues } from './template/physical';
import { asObject, asString, resourcesOfType } from './template/resources';
import type { CfnTemplate } from './template/types';

/** Concurrent executions per function; more requests queue, as under a reserved-concurrency limit. */
const MAX_WORKERS_PER_FUNCTION = 4;

export interface DeployInput {
  readonly synth: SynthResult;
  readonly layout: DataLayout;
  readonly signingKey: SigningKey;
  readonly clients: {
    readonly s3: S3Client;
    readonly dynamoDb: DynamoDBClient;
    readonly dynamoDbStreams: DynamoDBStreamsClient;
    readonly cognito: CognitoIdentityProviderClient;
  };
  /** Where the functions find the emulators; execute-api addresses are added here, once the APIs' ids are known. */
  readonly endpoints: Omit<LocalEndpoints, 'executeApi'>;
  readonly issuer: (userPoolId: string) => string;
  readonly s3Backend: S3Backend;
  readonly secrets: SecretsStandIn;
  readonly api: DeferredServer;
  /** Serves the chunk distribution (signed URLs). */
  readonly edge: DeferredServer;
  /** Serves the web app's distribution. */
  readonly web: DeferredServer;
  /** The built web app, published into the web app's bucket as `npm run publish:web` does in AWS. */
  readonly webDist: string;
  /** Serves the Lambda Invoke API (cognito-local's triggers, functions invoking functions) and the scheduled rules on demand. */
  readonly lambda: DeferredServer;
  /** Serves the WebSocket API (push channel) and its management API. */
  readonly socket: DeferredServer;
  readonly emit: EventSink;
}

/** Names and ids the deployment produced (the first user pool and client when there are several). */
export interface DeployedNames {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** The bucket S3 notifications watch (the chunk bucket). */
  readonly bucketName: string;
  /** Physical names by logical id. */
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly tableNames: Readonly<Record<string, string>>;
  /** Secrets Manager name of the CloudFront signing key, and the key pair id URLs are signed with. */
  readonly signingKeySecretName: string;
  readonly keyPairId: string;
  /** The WebSocket URL of the push channel (`ws://host:port/<stage>`); empty when the template has none. */
  readonly pushUrl: string;
}

export async function deploy(input: DeployInput): Promise<{ names: DeployedNames; userPools: PoolRules[]; stop(): Promise<void> }> {
  const { template, stackName } = input.synth;
  const parameters = { [SIGNING_PUBLIC_KEY_PARAMETER]: input.signingKey.publicKeyPem };
  const partial: LocalValues = {
    stackName,
    userPoolIds: {},
    userPoolClientIds: {},
    keyPairIds: {},
    edgeHost: input.edge.host,
    distributionHosts: Object.fromEntries(webDistributionIds(template).map((id) => [id, input.web.host])),
    apiUrl: input.api.url,
  };
  const early = localResolver(template, partial, parameters);
  const keyPairIds = Object.fromEntries(
    resourcesOfType(template, 'AWS::CloudFront::PublicKey').map(([id, r]) => {
      const config = asObject(early(r.Properties?.PublicKeyConfig, id), `${id}.PublicKeyConfig`);
      return [id, keyPairIdFor(asString(config.EncodedKey, `${id}.EncodedKey`))];
    }),
  );
  const { ids, rules } = await userPools(template, early, input);
  const values: LocalValues = { ...partial, ...ids, keyPairIds };
  const resolve = localResolver(template, values, parameters);

  const tableNames = physicalNames(template, resolve, 'AWS::DynamoDB::Table');
  const bucketNames = physicalNames(template, resolve, 'AWS::S3::Bucket');
  await Promise.all([
    ...resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id, r]) =>
      ensureTable(input.clients.dynamoDb, { name: tableNames[id], properties: asObject(resolve(r.Properties ?? {}, id), id) }),
    ),
    ...resourcesOfType(template, 'AWS::S3::Bucket').map(async ([id, r]) => {
      await ensureBucket(input.clients.s3, bucketNames[id], asObject(resolve(r.Properties ?? {}, id), id), input.s3Backend);
      await input.s3Backend.watchBucket?.(bucketNames[id]);
    }),
  ]);

  const functions = functionModels(template, resolve, input.synth.assemblyDir);
  const socketApi = socketApiModel(template, resolve, functions);
  const apiIdOf = (logicalId: string) => asString(resolve({ Ref: logicalId }, logicalId), logicalId);
  const [httpApi] = apisOf(template, 'HTTP');
  const endpoints: LocalEndpoints = {
    ...input.endpoints,
    executeApi: {
      ...(httpApi ? { [apiIdOf(httpApi)]: input.api.url } : {}),
      ...(socketApi ? { [apiIdOf(socketApi.logicalId)]: input.socket.url } : {}),
    },
  };
  await runCustomResources(input, endpoints, customResourceModels(template, resolve, functions));
  const routes = apiRoutes(template, resolve, functions, (issuer) => localIssuer(issuer, input.issuer));
  const subscriptions = notificationModels(template, resolve, functions);
  const streamSources = streamSourceModels(template, resolve, functions);
  const distributions = distributionModels(template, resolve);
  const chunkCdn = distributions.find(servesSignedUrlsOnly);
  const webCdn = distributions.find((d) => !servesSignedUrlsOnly(d));
  const signingKeySecretName = functions.map((fn) => fn.environment[ENV.signingKeySecretId]).find(Boolean) ?? '';
  if (signingKeySecretName) input.secrets.put(signingKeySecretName, input.signingKey.privateKeyPem);

  const schedules = scheduleModels(template, resolve, functions);
  const triggers = userPoolTriggers(template, resolve, functions);
  // Every function gets a pool (workers start on first use): routes, notifications, triggers and
  // schedules invoke theirs, and any function may be invoked by name through the Lambda endpoint.
  const pools = new Map<string, FunctionPool>(
    functions.map((fn) => [
      fn.logicalId,
      createFunctionPool(fn, {
        env: functionEnvironment(fn, endpoints),
        maxWorkers: MAX_WORKERS_PER_FUNCTION,
        onLog: (stream, line) => input.emit({ type: 'function-log', functionName: shortName(fn.logicalId), stream, line }),
      }),
    ]),
  );
  // Streams are read from before any API call can write to the tables: no commit goes unnoticed.
  const pollers = await startStreamPollers({
    sources: streamSources,
    tableNames,
    pools,
    dynamoDb: input.clients.dynamoDb,
    streams: input.clients.dynamoDbStreams,
    retryDelaysMs: LOCAL_RETRY_DELAYS_MS,
    emit: input.emit,
  });
  const gateway = socketApi ? socketGateway({ api: socketApi, apiId: apiIdOf(socketApi.logicalId), pools, emit: input.emit }) : undefined;
  if (socketApi && gateway) {
    input.socket.serve(managementHandler({ stageName: socketApi.stageName, connections: gateway.connections, emit: input.emit }), gateway.upgrade);
  }
  const cors = apiCors(template, resolve);
  input.api.serve(apiHandler({ apiId: httpApi ? apiIdOf(httpApi) : 'local', routes, pools, cors, emit: input.emit }));
  if (chunkCdn) input.edge.serve(edgeHandler({ distribution: chunkCdn, s3: input.clients.s3, emit: input.emit }));
  const triggerPools = new Map(
    triggers.map((t) => [
      values.userPoolIds[t.pool],
      Object.fromEntries(Object.entries(t.functions).map(([trigger, fn]) => [trigger, pools.get(fn.logicalId)!])) as Partial<Record<LocalTrigger, FunctionPool>>,
    ]),
  );
  if (webCdn) {
    const webBucket = webCdn.behaviors[webCdn.behaviors.length - 1].bucket;
    await publishWeb(input.clients.s3, webBucket, input.webDist, { apiUrl: input.api.url });
    const contentSecurityPolicy = webContentSecurityPolicy({
      api: input.api.url,
      storage: input.endpoints.s3,
      downloads: input.edge.url,
      auth: input.endpoints.cognito,
    });
    input.web.serve(edgeHandler({ distribution: webCdn, s3: input.clients.s3, emit: input.emit, contentSecurityPolicy }));
  }
  const stopDispatcher = startDispatcher(input.s3Backend.notifications, { subscriptions, pools, retryDelaysMs: LOCAL_RETRY_DELAYS_MS, emit: input.emit });
  const lambda = lambdaService({ pools, triggers: triggerPools, scheduler: () => scheduler, emit: input.emit });
  const scheduler = startScheduler(schedules, lambda.invoke, input.emit);
  input.lambda.serve(lambda.handler);

  const first = (record: Readonly<Record<string, string>>) => Object.values(record)[0] ?? '';
  return {
    names: {
      userPoolId: first(values.userPoolIds),
      userPoolClientId: first(values.userPoolClientIds),
      bucketName: subscriptions[0]?.bucket ?? first(bucketNames),
      bucketNames,
      tableNames,
      signingKeySecretName,
      keyPairId: first(keyPairIds),
      pushUrl: socketApi ? `${input.socket.url.replace(/^http/, 'ws')}/${socketApi.stageName}` : '',
    },
    userPools: rules,
    async stop() {
      stopDispatcher();
      scheduler.stop();
      lambda.stop();
      await gateway?.stop();
      await pollers.stop();
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
    },
  };
}

/** Creates the custom resources before any request is served, each handler in a pool of its own for the while. */
async function runCustomResources(input: DeployInput, endpoints: LocalEndpoints, resources: Parameters<typeof createCustomResources>[1]): Promise<void> {
  const pools = new Map<string, FunctionPool>();
  const poolFor = (fn: FunctionModel) => {
    let pool = pools.get(fn.logicalId);
    if (!pool) {
      pool = createFunctionPool(fn, {
        env: functionEnvironment(fn, endpoints),
        maxWorkers: 1,
        onLog: (stream, line) => input.emit({ type: 'function-log', functionName: shortName(fn.logicalId), stream, line }),
      });
      pools.set(fn.logicalId, pool);
    }
    return pool;
  };
  try {
    await createCustomResources(input.synth.stackName, resources, poolFor);
  } finally {
    await Promise.all([...pools.values()].map((pool) => pool.stop()));
  }
}

/** Creates (or finds) the template's user pools and clients; answers their ids and each pool's rules as the template states them. */
async function userPools(
  template: CfnTemplate,
  resolve: Resolver,
  input: DeployInput,
): Promise<{ ids: Pick<LocalValues, 'userPoolIds' | 'userPoolClientIds'>; rules: PoolRules[] }> {
  const pools = resourcesOfType(template, 'AWS::Cognito::UserPool').map(([logicalId, r]) => ({
    logicalId,
    properties: asObject(resolve(r.Properties ?? {}, logicalId), logicalId),
  }));
  const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient').map(([logicalId, r]) => {
    const { UserPoolId, ...rest } = r.Properties ?? {};
    const poolRef = asObject(UserPoolId, `${logicalId}.UserPoolId`).Ref;
    return {
      logicalId,
      userPoolLogicalId: asString(poolRef, `${logicalId}.UserPoolId (a Ref to a pool in this template)`),
      properties: asObject(resolve(rest, logicalId), logicalId),
    };
  });
  const state = await ensureUserPools(input.clients.cognito, pools, clients, readState(input.layout.state));
  writeState(input.layout.state, state);
  const rules = pools.map((pool) => ({
    userPoolId: state.userPools[pool.logicalId],
    clientIds: clients.filter((c) => c.userPoolLogicalId === pool.logicalId).map((c) => state.userPoolClients[c.logicalId]),
    passwordPolicy: passwordPolicyOf(pool.properties),
  }));
  return { ids: { userPoolIds: state.userPools, userPoolClientIds: state.userPoolClients }, rules };
}

/** Distributions whose default behavior needs no signed URL: the web app's, served on the web port. */
function webDistributionIds(template: CfnTemplate): string[] {
  return resourcesOfType(template, 'AWS::CloudFront::Distribution')
    .filter(([, r]) => {
      const config = (r.Properties?.DistributionConfig ?? {}) as { DefaultCacheBehavior?: { TrustedKeyGroups?: unknown[] } };
      return !config.DefaultCacheBehavior?.TrustedKeyGroups?.length;
    })
    .map(([id]) => id);
}

function physicalNames(template: CfnTemplate, resolve: Resolver, type: string): Record<string, string> {
  return Object.fromEntries(resourcesOfType(template, type).map(([id]) => [id, asString(resolve({ Ref: id }, id), id)]));
}

/** The issuer API Gateway would check for a Cognito pool, translated to the one cognito-local signs with. */
function localIssuer(issuer: string, cognitoIssuer: (userPoolId: string) => string): string {
  const poolId = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([\w-]+)$/.exec(issuer)?.[1];
  return poolId ? cognitoIssuer(poolId) : issuer;
}

/** `ApistartuploadFunction8BAB38AF` -> `ApistartuploadFunction`: logical ids without CDK's hash, for log prefixes. */
const shortName = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');
