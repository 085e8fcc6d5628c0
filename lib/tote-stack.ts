import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LIMITS } from '@contract/limits';
import { DATA_MIGRATION_IDS } from '@domain/migrations/catalog';
import {
  CHUNK_TRACKER_NEEDS,
  COLLECTOR_NAMESPACE_NEEDS,
  COLLECTOR_SCHEDULE_NEEDS,
  DATA_MIGRATION_NEEDS,
  POST_CONFIRMATION_NEEDS,
  PUSH_HANDLER_NEEDS,
  apiHandlerNeeds,
  bindNeeds,
  type NeedProviders,
} from './handler-needs';
import { acknowledgeNagFindings } from './nag-suppressions';
import type { ToteStackParts } from './stack-parts';
import { type ApiHandler, POST_CONFIRMATION_ENTRY, apiHandlerEntry, apiHandlers, routesOf } from './source-layout';
import { Api } from './constructs/api';
import { Auth } from './constructs/auth';
import { ChunkBucket } from './constructs/chunk-bucket';
import { ChunkTracker } from './constructs/chunk-tracker';
import { Collector } from './constructs/collector';
import { DataMigrations } from './constructs/data-migrations';
import { Downloads } from './constructs/downloads';
import { LogBucket } from './constructs/log-bucket';
import { Push } from './constructs/push';
import { type LogLevel, ServiceFunction } from './constructs/service-function';
import { Tables } from './constructs/tables';
import { requireIntInRange } from './validation';
import { WebApp } from './constructs/web-app';

export interface ToteStackProps extends StackProps {
  /**
   * Browser origins allowed to call the API and PUT and GET chunks, besides the web app's own
   * distribution (always allowed), e.g. a custom domain in front of it. @default []
   */
  readonly webOrigins?: readonly string[];
  /** Retention of every Lambda log group and the API access log. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Powertools log level of every function. @default 'INFO' */
  readonly logLevel?: LogLevel;
  /**
   * Days a deleted file stays in the trash and a replaced version stays restorable; then the collector
   * deletes them. The one retention setting (the app reads it from the `retentionDays` context).
   * @default LIMITS.retentionDays (30)
   */
  readonly retentionDays?: number;
}

/** The whole service: users, API, functions, tables, chunk storage and the download CDN. */
export class ToteStack extends Stack implements ToteStackParts {
  readonly auth: Auth;
  readonly tables: Tables;
  readonly logBucket: LogBucket;
  readonly chunkBucket: ChunkBucket;
  readonly downloads: Downloads;
  readonly tracker: ChunkTracker;
  readonly collector: Collector;
  readonly migrations: DataMigrations;
  readonly postConfirmation: ServiceFunction;
  readonly push: Push;
  readonly apiFunctions: ReadonlyMap<ApiHandler, ServiceFunction>;
  readonly api: Api;
  readonly webApp: WebApp;

  constructor(scope: Construct, id: string, props: ToteStackProps = {}) {
    super(scope, id, props);
    const retentionDays = requireIntInRange('retentionDays', props.retentionDays ?? LIMITS.retentionDays, 1, 3650);
    const signingPublicKeyPem = new CfnParameter(this, 'SigningPublicKeyPem', {
      type: 'String',
      description: 'PEM-encoded public key CloudFront verifies download URL signatures with (see README: key pair)',
    });
    const signingKeySecretName = new CfnParameter(this, 'SigningKeySecretName', {
      type: 'String',
      default: 'tote/cloudfront-signing-key',
      description: 'Secrets Manager name of the matching PEM private key the download handler signs with',
    });

    this.auth = new Auth(this, 'Auth');
    this.tables = new Tables(this, 'Tables');
    this.logBucket = new LogBucket(this, 'AccessLogs');
    this.webApp = new WebApp(this, 'Web', { logBucket: this.logBucket.bucket });
    const webOrigins = [this.webApp.origin, ...(props.webOrigins ?? [])];
    this.chunkBucket = new ChunkBucket(this, 'Chunks', {
      webOrigins,
      accessLogsBucket: this.logBucket.bucket,
    });
    this.downloads = new Downloads(this, 'Downloads', {
      bucket: this.chunkBucket.bucket,
      logBucket: this.logBucket.bucket,
      signingPublicKeyPem: signingPublicKeyPem.valueAsString,
      signingKeySecretName: signingKeySecretName.valueAsString,
      webOrigins,
    });
    const logging = { logRetention: props.logRetention, logLevel: props.logLevel };
    this.push = new Push(this, 'Push', { tables: this.tables, sizes: PUSH_HANDLER_NEEDS, ...logging });
    const providers: NeedProviders = {
      tables: this.tables,
      chunkBucket: this.chunkBucket,
      auth: this.auth,
      downloads: this.downloads,
      retentionDays,
      push: this.push,
    };
    for (const [handler, fn] of this.push.functions) bindNeeds(fn.fn, PUSH_HANDLER_NEEDS[handler], providers);

    this.tracker = new ChunkTracker(this, 'ChunkTracker', {
      chunkBucket: this.chunkBucket,
      memorySize: CHUNK_TRACKER_NEEDS.memorySize,
      timeoutSeconds: CHUNK_TRACKER_NEEDS.timeoutSeconds,
      ...logging,
    });
    bindNeeds(this.tracker.function.fn, CHUNK_TRACKER_NEEDS, providers);

    this.collector = new Collector(this, 'Collector', {
      scheduleSizing: COLLECTOR_SCHEDULE_NEEDS,
      namespaceSizing: COLLECTOR_NAMESPACE_NEEDS,
      ...logging,
    });
    bindNeeds(this.collector.scheduleFunction.fn, COLLECTOR_SCHEDULE_NEEDS, providers);
    bindNeeds(this.collector.namespaceFunction.fn, COLLECTOR_NAMESPACE_NEEDS, providers);

    this.postConfirmation = new ServiceFunction(this, 'PostConfirmation', {
      entry: POST_CONFIRMATION_ENTRY,
      description: 'Tote: a confirmed account receives the files shared with its address before it existed',
      memorySize: POST_CONFIRMATION_NEEDS.memorySize,
      timeoutSeconds: POST_CONFIRMATION_NEEDS.timeoutSeconds,
      ...logging,
    });
    bindNeeds(this.postConfirmation.fn, POST_CONFIRMATION_NEEDS, providers);
    this.auth.onConfirmation(this.postConfirmation.fn);

    this.apiFunctions = new Map(
      apiHandlers().map((handler) => {
        const needs = apiHandlerNeeds(handler);
        const fn = new ServiceFunction(this, `Api-${handler}`, {
          entry: apiHandlerEntry(handler),
          description: `Tote API: ${handler}`,
          routes: routesOf(handler),
          memorySize: needs.memorySize,
          timeoutSeconds: needs.timeoutSeconds,
          ...logging,
        });
        bindNeeds(fn.fn, needs, providers);
        return [handler, fn];
      }),
    );
    this.api = new Api(this, 'Api', {
      functions: new Map([...this.apiFunctions].map(([handler, fn]) => [handler, fn.fn])),
      authorizer: this.auth.httpAuthorizer,
      authorizationScopes: this.auth.authorizationScopes,
      accessLogRetention: props.logRetention,
      corsOrigins: webOrigins,
    });

    this.migrations = new DataMigrations(this, 'DataMigrations', {
      migrations: Object.values(DATA_MIGRATION_IDS),
      after: [this.tracker.function, ...this.apiFunctions.values()],
      memorySize: DATA_MIGRATION_NEEDS.isComplete.memorySize,
      timeoutSeconds: DATA_MIGRATION_NEEDS.isComplete.timeoutSeconds,
      ...logging,
    });
    bindNeeds(this.migrations.onEvent.fn, DATA_MIGRATION_NEEDS.onEvent, providers);
    bindNeeds(this.migrations.isComplete.fn, DATA_MIGRATION_NEEDS.isComplete, providers);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Tote HTTP API' });
    new CfnOutput(this, 'PushUrl', { value: this.push.url, description: 'WebSocket URL of the push channel (also announced by GET /health)' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.cliClient.userPoolClientId });
    new CfnOutput(this, 'DistributionDomainName', { value: this.downloads.distribution.distributionDomainName });
    new CfnOutput(this, 'BucketName', { value: this.chunkBucket.bucket.bucketName });
    new CfnOutput(this, 'WebUrl', { value: this.webApp.origin, description: 'The web app' });
    new CfnOutput(this, 'WebBucketName', { value: this.webApp.bucket.bucketName, description: 'Where npm run publish:web puts the built web app' });

    acknowledgeNagFindings(this);
  }
}
