/**
 * The access log of both API Gateway stages (HTTP API and push channel): one JSON line per request
 * with the fields that trace a request id to a caller, a route and an outcome, plus what each API
 * adds. One list, so a field added for tracing lands in both logs.
 */
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface AccessLogFields {
  /** Where the stage's authorizer puts the caller's id. */
  readonly caller: string;
  /** The API's own fields, after the common ones. */
  readonly extra: Readonly<Record<string, string>>;
}

/** The stage's access log settings, writing to a log group `AccessLogs` of `scope`. */
export function accessLogSettings(scope: Construct, retention: logs.RetentionDays, fields: AccessLogFields): apigw.IAccessLogSettings {
  const format = AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      routeKey: '$context.routeKey',
      status: '$context.status',
      ...fields.extra,
      caller: fields.caller,
      authorizerError: '$context.authorizer.error',
      integrationError: '$context.integrationErrorMessage',
    }),
  );
  return { destination: new apigw.LogGroupLogDestination(new logs.LogGroup(scope, 'AccessLogs', { retention })), format };
}
