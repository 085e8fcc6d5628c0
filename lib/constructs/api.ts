import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEVICE_HEADER, ROUTES, routeKey, type RouteSpec } from '@contract/routes';
import { requireIntInRange, requireWebOrigins } from '../validation';
import { accessLogSettings } from './access-log';

export interface ApiProps {
  /** The function serving each `handler` named in the routes; every route's handler must be present. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  /** Authorizer for every route whose spec says `auth: true`. */
  readonly authorizer: apigw.IHttpRouteAuthorizer;
  /** Scopes a token must carry (one of them) on every route with the authorizer; at least one. */
  readonly authorizationScopes: readonly string[];
  /** The route table. @default Object.values(ROUTES) from contract/routes.ts */
  readonly routes?: readonly RouteSpec[];
  /** Steady-state requests per second across the stage. @default 100 */
  readonly throttleRateLimit?: number;
  /** Burst bucket size across the stage. @default 200 */
  readonly throttleBurstLimit?: number;
  /** Access log retention. @default RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: logs.RetentionDays;
  /** Browser origins whose pages may call the API (CORS); none means browsers on other origins may not. @default [] */
  readonly corsOrigins?: readonly string[];
}

/**
 * The HTTP API (payload 2.0), built from the route table: one Lambda integration per handler, one
 * route per spec, the JWT authorizer and its required scopes on every route unless the spec says `auth: false`.
 */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  /** The route constructs by route key (`GET /health`), for tests and targeted nag acknowledgements. */
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const routes = props.routes ?? Object.values(ROUTES);
    const missing = routes.filter((route) => !props.functions.has(route.handler)).map((route) => route.handler);
    if (missing.length > 0) throw new Error(`functions has no entry for handler(s): ${[...new Set(missing)].join(', ')}`);
    if (props.authorizationScopes.length === 0) throw new Error('authorizationScopes must name at least one scope: without one an ID token passes');
    const rateLimit = requireIntInRange('throttleRateLimit', props.throttleRateLimit ?? 100, 1, 10_000);
    const burstLimit = requireIntInRange('throttleBurstLimit', props.throttleBurstLimit ?? 200, 1, 5_000);

    const corsOrigins = props.corsOrigins?.length ? requireWebOrigins('corsOrigins', props.corsOrigins) : [];
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      createDefaultStage: false,
      corsPreflight: corsOrigins.length
        ? {
            allowOrigins: [...corsOrigins],
            allowMethods: [...new Set(routes.map((route) => apigw.CorsHttpMethod[route.method]))],
            // The device header lets the web app's changes name where they came from in versions and the trash.
            allowHeaders: ['authorization', 'content-type', DEVICE_HEADER],
            // Browsers cap how long they keep a preflight (Chromium: 2 hours); every call carries a token, so each needs one.
            maxAge: Duration.hours(2),
          }
        : undefined,
    });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      accessLogSettings: accessLogSettings(this, props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH, {
        caller: '$context.authorizer.claims.sub',
        extra: { protocol: '$context.protocol', responseLength: '$context.responseLength', latencyMs: '$context.responseLatency' },
      }),
    });

    // One integration per handler, shared by all of its routes.
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationFor = (handler: string): HttpLambdaIntegration => {
      let integration = integrations.get(handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${handler}-integration`, props.functions.get(handler)!);
        integrations.set(handler, integration);
      }
      return integration;
    };

    for (const route of routes) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationFor(route.handler),
        authorizer: route.auth ? props.authorizer : new apigw.HttpNoneAuthorizer(),
        ...(route.auth ? { authorizationScopes: [...props.authorizationScopes] } : {}),
      });
      this.routes.set(routeKey(route), httpRoute);
    }
  }

  /** The invoke URL of the `$default` stage, without a trailing slash. */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
