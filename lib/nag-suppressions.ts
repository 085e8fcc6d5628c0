import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IConstruct } from 'constructs';
import { BUCKET_GRANTS } from './constructs/chunk-bucket';
import type { ServiceFunction } from './constructs/service-function';
import {
  API_HANDLER_NEEDS,
  CHUNK_TRACKER_NEEDS,
  COLLECTOR_NAMESPACE_NEEDS,
  COLLECTOR_SCHEDULE_NEEDS,
  DATA_MIGRATION_NEEDS,
  POST_CONFIRMATION_NEEDS,
  PUSH_HANDLER_NEEDS,
  type HandlerNeeds,
} from './handler-needs';
import { PUSH_STAGE } from './constructs/push';
import type { ToteStackParts } from './stack-parts';

/**
 * Every cdk-nag (AwsSolutions) finding this stack accepts, each with the reason it is acceptable, on
 * the narrowest construct that produces it. Wildcard (IAM5) acknowledgements name the exact resource
 * pattern and are derived from lib/handler-needs.ts, so a new grant cannot hide behind an old reason.
 */
export function acknowledgeNagFindings(stack: ToteStackParts): void {
  acknowledgeFunctions(stack);
  acknowledgePublicHealthRoute(stack);
  acknowledgePush(stack);
  acknowledgeUserPool(stack);
  acknowledgeDistribution(stack);
  acknowledgeWebDistribution(stack);
  acknowledgeCdkInternals(stack);
  acknowledgeMigrationProvider(stack);
}

function nag(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
}

function logicalIdOf(resource: IConstruct): string {
  const stack = Stack.of(resource);
  return stack.resolve(stack.getLogicalId(resource.node.defaultChild as CfnResource)) as string;
}

/** `<LogicalId.Arn>` and `<LogicalId>`, the way cdk-nag spells a resource's ARN and Ref in a finding. */
const arnOf = (resource: IConstruct): string => `<${logicalIdOf(resource)}.Arn>`;
const refOf = (resource: IConstruct): string => `<${logicalIdOf(resource)}>`;

function acknowledgeFunctions(stack: ToteStackParts): void {
  const functions: [ServiceFunction, HandlerNeeds][] = [
    ...[...stack.apiFunctions].map(([handler, fn]): [ServiceFunction, HandlerNeeds] => [fn, API_HANDLER_NEEDS[handler]]),
    [stack.tracker.function, CHUNK_TRACKER_NEEDS],
    [stack.collector.scheduleFunction, COLLECTOR_SCHEDULE_NEEDS],
    [stack.collector.namespaceFunction, COLLECTOR_NAMESPACE_NEEDS],
    [stack.migrations.onEvent, DATA_MIGRATION_NEEDS.onEvent],
    [stack.migrations.isComplete, DATA_MIGRATION_NEEDS.isComplete],
    [stack.postConfirmation, POST_CONFIRMATION_NEEDS],
    ...[...stack.push.functions].map(([handler, fn]): [ServiceFunction, HandlerNeeds] => [fn, PUSH_HANDLER_NEEDS[handler]]),
  ];
  for (const [fn, needs] of functions) {
    nag(fn, 'L1', 'Node.js 22 is the runtime the handlers are bundled (esbuild target node22) and tested for; moving to a newer major is a deliberate upgrade, not a silent default.');
    for (const [tableNeed, table] of [
      [needs.fileTable, stack.tables.fileMetadata.table],
      [needs.sharedTable, stack.tables.sharedFiles.table],
    ] as const) {
      if (tableNeed !== undefined && tableNeed !== 'put' && tableNeed !== 'delete') {
        nag(fn, `IAM5[Resource::${arnOf(table)}/index/*]`, 'Queries on this table\'s own global secondary indexes (folder listings use gsi1, a file\'s shares byFile); the wildcard covers only index names of this one table.');
      }
    }
    for (const kind of needs.bucket ?? []) {
      nag(fn, `IAM5[Resource::${arnOf(stack.chunkBucket.bucket)}/${BUCKET_GRANTS[kind].prefix}*]`, `Object keys under ${BUCKET_GRANTS[kind].prefix} embed the owner id and a content hash known only at request time; the grant is limited to that prefix and to ${BUCKET_GRANTS[kind].actions.join(', ')}.`);
    }
  }
  const worker = stack.collector.namespaceFunction.fn;
  nag(stack.collector.scheduleFunction, `IAM5[Resource::${arnOf(worker)}:*]`, 'lambda:InvokeFunction on the collector\'s per-namespace function, any of its versions or aliases (CDK\'s grantInvoke); no other function.');
  nag(stack.tracker.failedEvents, 'SQS3', 'This queue is itself the dead-letter store: the chunk tracker\'s on-failure destination, holding failed S3 events for 14 days for inspection and replay.');
}

function acknowledgePublicHealthRoute(stack: ToteStackParts): void {
  for (const route of stack.api.routes.values()) {
    if ((route.node.defaultChild as CfnRoute).authorizationType === 'NONE') {
      nag(route, 'APIG4', 'The health route is public by design: clients call it before sign-in to learn the user pool and app client ids; it returns no user data.');
    }
  }
}

function acknowledgePush(stack: ToteStackParts): void {
  const { push } = stack;
  for (const route of push.api.node.children) {
    const cfn = route.node.defaultChild as CfnRoute | undefined;
    if (cfn?.cfnResourceType === 'AWS::ApiGatewayV2::Route' && cfn.routeKey !== '$connect') {
      nag(route, 'APIG4', 'A WebSocket API authorizes at $connect only (its Lambda authorizer verifies the access token there); every later route, $disconnect included, runs on that connection and carries the authorizer\'s verdict.');
    }
  }
  const notifier = push.functions.get('notifier')!;
  nag(notifier, 'IAM5[Resource::*]', 'dynamodb:ListStreams, which the Lambda event source mappings on the two tables\' streams need, does not support resource-level permissions; reading the streams themselves is granted on their two ARNs only.');
  nag(notifier, `IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:${refOf(push.api)}/${PUSH_STAGE}/POST/@connections/*]`, 'Connection ids are known only when a hint is sent; the grant is POST (post a message) on this API\'s one stage only.');
  nag(notifier, `IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:${refOf(push.api)}/${PUSH_STAGE}/DELETE/@connections/*]`, 'Connection ids are known only when a hint is due; the grant is DELETE (close the connection of an account deleted or disabled since it connected) on this API\'s one stage only.');
  nag(push.failedBatches, 'SQS3', 'This queue is itself the dead-letter store: the push notifier\'s on-failure destination for stream batches that still failed after their retries, kept 14 days for inspection.');
}

function acknowledgeUserPool(stack: ToteStackParts): void {
  const pool = stack.auth.userPool;
  nag(pool, 'COG2', 'The tote CLI signs in with USER_PASSWORD_AUTH and has no MFA challenge step yet; until it does, a 12+ character password with all character classes is enforced instead.');
  nag(pool, 'COG8', 'The Cognito Plus feature plan (threat protection) is a per-user paid add-on; whether to buy it is the deploying organisation\'s decision, and it can be switched on without code changes.');
}

function acknowledgeDistribution(stack: ToteStackParts): void {
  const distribution = stack.downloads.distribution;
  nag(distribution, 'CFR1', 'Tote serves its users wherever they are; every request already needs a short-lived URL signed for one chunk.');
  nag(distribution, 'CFR2', 'The distribution serves only URLs signed by the trusted key group, verified at the edge before the origin, so unsigned traffic never reaches S3; a WAF web ACL can be attached by the deployer.');
  nag(distribution, 'CFR4', 'The distribution uses the default *.cloudfront.net certificate, for which CloudFront does not allow choosing the minimum TLS version; a custom domain with TLSv1.2_2021 is a deployment choice outside this stack.');
}

function acknowledgeWebDistribution(stack: ToteStackParts): void {
  const distribution = stack.webApp.distribution;
  nag(distribution, 'CFR1', 'The web app is for Tote\'s users wherever they are; it serves only public static assets, every file operation needs a signed-in user.');
  nag(distribution, 'CFR2', 'The distribution serves static assets of a single-page app from a private bucket; a WAF web ACL can be attached by the deployer, and the API it talks to is throttled per stage.');
  nag(distribution, 'CFR4', 'The distribution uses the default *.cloudfront.net certificate, for which CloudFront does not allow choosing the minimum TLS version; a custom domain with TLSv1.2_2021 is a deployment choice outside this stack.');
}

/** The CDK provider framework behind the data migrations custom resource (lib/constructs/data-migrations.ts). */
function acknowledgeMigrationProvider(stack: ToteStackParts): void {
  const { provider, frameworkRoles, onEvent, isComplete } = stack.migrations;
  for (const role of frameworkRoles) {
    for (const fn of [onEvent, isComplete]) {
      nag(role, `IAM5[Resource::${arnOf(fn.fn)}:*]`, 'The provider framework invokes the migration handlers; lambda:InvokeFunction on <function>:* covers that function\'s versions and aliases only, as CDK grants it.');
    }
  }
  const machine = provider.node.findChild('waiter-state-machine');
  for (const child of provider.node.children.filter((c) => c.node.id.startsWith('framework-'))) {
    nag(machine, `IAM5[Resource::${arnOf(child)}:*]`, 'The waiter state machine polls the framework\'s own isComplete and onTimeout functions; the wildcard covers their versions and aliases only.');
  }
  nag(machine, 'SF1', 'The waiter only re-invokes isComplete on a timer; every poll is logged by the framework and migration functions (their log groups), and CloudFormation records the outcome.');
  nag(machine, 'SF2', 'The provider framework offers no tracing switch for its waiter; a deploy-time poll loop gains nothing from X-Ray.');
}

function acknowledgeCdkInternals(stack: ToteStackParts): void {
  const notificationsHandler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  if (notificationsHandler) {
    nag(notificationsHandler, 'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'CDK\'s own custom resource that writes the bucket notification configuration at deploy time; the managed policy only lets it write its logs.');
  }
  Validations.of(stack).acknowledge({
    id: 'CloudFormation-Validate::W2509',
    reason: 'SigningKeySecretName holds the name of a secret, not a secret, so it need not be hidden.',
  });
}
