import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '@contract/env';
import { PUSH } from '@contract/push';
import { KEY_PREFIX } from '@repo/keys';
import { type PushHandler, PUSH_HANDLERS, pushHandlerEntry } from '../source-layout';
import { requireIntInRange } from '../validation';
import { accessLogSettings } from './access-log';
import { type LogLevel, ServiceFunction } from './service-function';
import type { Tables } from './tables';

export interface PushProps {
  readonly tables: Tables;
  /** Memory and timeout of each function (lib/handler-needs.ts). */
  readonly sizes: Readonly<Record<PushHandler, { readonly memorySize?: number; readonly timeoutSeconds?: number }>>;
  /** Steady-state messages per second across the stage (pings, connects). @default 100 */
  readonly throttleRateLimit?: number;
  /** Burst bucket size across the stage. @default 200 */
  readonly throttleBurstLimit?: number;
  /** Retention of the function logs and the stage's access log. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  readonly logLevel?: LogLevel;
}

/** The one stage; clients connect to `wss://<api>.execute-api.<region>.amazonaws.com/v1`. */
export const PUSH_STAGE = 'v1';

/** Where the identity source is read: the token rides in the subprotocol header (contract/push.ts). */
export const PUSH_IDENTITY_SOURCE = 'route.request.header.Sec-WebSocket-Protocol';

/**
 * The push channel (issue 13): a WebSocket API whose $connect runs a Lambda authorizer on the
 * Cognito access token, routes that record and forget connections and answer pings, and a notifier
 * fed by the tables' streams (journal inserts, grant changes; filtered where Lambda polls, so other
 * writes never invoke it) that hints every connection of every user whose feed moved.
 */
export class Push extends Construct {
  readonly functions: ReadonlyMap<PushHandler, ServiceFunction>;
  readonly api: apigw.WebSocketApi;
  readonly stage: apigw.WebSocketStage;
  /** Stream batches the notifier still failed after its retries (their metadata; the records stay in the stream 24 h). */
  readonly failedBatches: sqs.Queue;

  constructor(scope: Construct, id: string, props: PushProps) {
    super(scope, id);
    const rateLimit = requireIntInRange('throttleRateLimit', props.throttleRateLimit ?? 100, 1, 10_000);
    const burstLimit = requireIntInRange('throttleBurstLimit', props.throttleBurstLimit ?? 200, 1, 5_000);
    const functions = new Map(
      PUSH_HANDLERS.map((handler) => [
        handler,
        new ServiceFunction(this, `Push-${handler}`, {
          entry: pushHandlerEntry(handler),
          description: `Tote push channel: ${handler}`,
          ...props.sizes[handler],
          logRetention: props.logRetention,
          logLevel: props.logLevel,
        }),
      ]),
    );
    this.functions = functions;
    const fn = (handler: PushHandler) => functions.get(handler)!.fn;

    this.api = new apigw.WebSocketApi(this, 'Api', {
      routeSelectionExpression: PUSH.routeSelectionExpression,
      connectRouteOptions: {
        integration: new WebSocketLambdaIntegration('connect-integration', fn('connect')),
        authorizer: new WebSocketLambdaAuthorizer('AccessTokenAuthorizer', fn('authorize'), { identitySource: [PUSH_IDENTITY_SOURCE] }),
      },
      disconnectRouteOptions: { integration: new WebSocketLambdaIntegration('disconnect-integration', fn('disconnect')) },
    });
    this.api.addRoute(PUSH.pingAction, { integration: new WebSocketLambdaIntegration('ping-integration', fn('ping')), returnResponse: true });
    this.stage = new apigw.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: PUSH_STAGE,
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      accessLogSettings: accessLogSettings(this, props.logRetention ?? logs.RetentionDays.ONE_MONTH, {
        caller: '$context.authorizer.principalId',
        extra: { eventType: '$context.eventType', connectionId: '$context.connectionId' },
      }),
    });

    this.failedBatches = new sqs.Queue(this, 'FailedBatches', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const streamOptions = {
      // Hints are about now: a new deployment has nobody to wake for what happened before it.
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: 100,
      // Latency is the point: no waiting to fill a batch.
      maxBatchingWindow: Duration.seconds(0),
      bisectBatchOnError: true,
      retryAttempts: 5,
      maxRecordAge: Duration.hours(1),
      onFailure: new SqsDlq(this.failedBatches),
    };
    const { fileMetadata, sharedFiles } = props.tables;
    fn('notifier').addEventSource(
      new DynamoEventSource(fileMetadata.table, {
        ...streamOptions,
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith(KEY_PREFIX.journal) } } },
          }),
        ],
      }),
    );
    fn('notifier').addEventSource(
      new DynamoEventSource(sharedFiles.table, {
        ...streamOptions,
        filters: [lambda.FilterCriteria.filter({ dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith(KEY_PREFIX.share) } } } })],
      }),
    );
  }

  /** The WebSocket URL clients connect to (`wss://...`). */
  get url(): string {
    return this.stage.url;
  }

  /** Tells a function where clients connect (GET /health announces it); no IAM rights are needed for that. */
  bindUrl(fn: lambda.Function): void {
    fn.addEnvironment(ENV.pushUrl, this.stage.url);
  }

  /** Lets a function post to connections and close them: the management endpoint, and ManageConnections for POST and DELETE on this stage only. */
  bindSender(fn: lambda.Function): void {
    fn.addEnvironment(ENV.pushCallbackUrl, this.stage.callbackUrl);
    const resources = ['POST', 'DELETE'].map((method) =>
      Stack.of(this).formatArn({ service: 'execute-api', resource: this.api.apiId, resourceName: `${PUSH_STAGE}/${method}/@connections/*` }),
    );
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['execute-api:ManageConnections'], resources }));
  }
}
