/**
 * The WebSocket API as the template defines it: its stage, how messages select a route, each route's
 * function (and whether the route answers the client), and the Lambda REQUEST authorizer of $connect.
 */
import { functionByArn, type FunctionModel } from './functions';
import { apiIdOf, apisOf, routeIntegration } from './integrations';
import type { Resolver } from './intrinsics';
import { asObject, asString, asStrings, resourcesOfType } from './resources';
import type { CfnTemplate } from './types';

export interface SocketRouteModel {
  readonly routeKey: string;
  readonly function: FunctionModel;
  /** A route response exists: what the function returns is sent back to the client. */
  readonly answers: boolean;
}

export interface SocketAuthorizerModel {
  readonly name: string;
  readonly function: FunctionModel;
  /** `route.request.header.<name>` / `route.request.querystring.<name>`: all must be present, or 401. */
  readonly identitySource: readonly string[];
}

export interface SocketApiModel {
  readonly logicalId: string;
  readonly stageName: string;
  /** `$request.body.<path>`: the message's JSON field whose value is the route key. */
  readonly routeSelectionExpression: string;
  readonly routes: ReadonlyMap<string, SocketRouteModel>;
  readonly authorizer?: SocketAuthorizerModel;
}

export function socketApiModel(template: CfnTemplate, resolve: Resolver, functions: readonly FunctionModel[]): SocketApiModel | undefined {
  const apis = apisOf(template, 'WEBSOCKET');
  if (apis.length === 0) return undefined;
  if (apis.length > 1) throw new Error(`the local runtime serves one WebSocket API; the template has ${apis.length}`);
  const [apiId] = apis;
  const apiWhere = `AWS::ApiGatewayV2::Api ${apiId}`;
  const api = asObject(resolve(template.Resources[apiId].Properties ?? {}, apiWhere), apiWhere);
  const ofThisApi = (type: string) => resourcesOfType(template, type).filter(([, r]) => apiIdOf(r) === apiId);

  const stages = ofThisApi('AWS::ApiGatewayV2::Stage').map(([id, r]) => asString(resolve(r.Properties?.StageName, id), `${id}.StageName`));
  if (stages.length !== 1) throw new Error(`${apiWhere}: the local runtime serves exactly one stage; the template has ${stages.length}`);
  const responses = new Set(ofThisApi('AWS::ApiGatewayV2::RouteResponse').map(([, r]) => (r.Properties?.RouteId as { Ref?: string } | undefined)?.Ref));

  let authorizer: SocketAuthorizerModel | undefined;
  const routes = new Map<string, SocketRouteModel>();
  for (const [logicalId, route] of ofThisApi('AWS::ApiGatewayV2::Route')) {
    const where = `AWS::ApiGatewayV2::Route ${logicalId}`;
    const props = asObject(resolve(route.Properties ?? {}, where), where);
    const routeKey = asString(props.RouteKey, `${where}.RouteKey`);
    routes.set(routeKey, { routeKey, function: routeIntegration(template, resolve, functions, props, `${where} (${routeKey})`).function, answers: responses.has(logicalId) });
    if (props.AuthorizationType === 'CUSTOM') {
      if (routeKey !== '$connect') throw new Error(`${where}: only $connect can be authorized on a WebSocket API`);
      authorizer = lambdaAuthorizer(template, resolve, functions, asString(props.AuthorizerId, `${where}.AuthorizerId`));
    } else if (props.AuthorizationType !== undefined && props.AuthorizationType !== 'NONE') {
      throw new Error(`${where}: authorization type ${String(props.AuthorizationType)} is not supported locally`);
    }
  }
  return {
    logicalId: apiId,
    stageName: stages[0],
    routeSelectionExpression: asString(api.RouteSelectionExpression, `${apiWhere}.RouteSelectionExpression`),
    routes,
    ...(authorizer ? { authorizer } : {}),
  };
}

function lambdaAuthorizer(template: CfnTemplate, resolve: Resolver, functions: readonly FunctionModel[], logicalId: string): SocketAuthorizerModel {
  const where = `AWS::ApiGatewayV2::Authorizer ${logicalId}`;
  const resource = template.Resources[logicalId];
  if (resource?.Type !== 'AWS::ApiGatewayV2::Authorizer') throw new Error(`unknown authorizer ${logicalId}`);
  const props = asObject(resolve(resource.Properties ?? {}, where), where);
  if (props.AuthorizerType !== 'REQUEST') throw new Error(`${where}: only REQUEST (Lambda) authorizers run locally on a WebSocket API`);
  const uri = asString(props.AuthorizerUri, `${where}.AuthorizerUri`);
  const fn = functionByArn(functions, uri);
  if (!fn) throw new Error(`${where}: ${uri} is not a function with a bundled asset`);
  return { name: String(props.Name ?? logicalId), function: fn, identitySource: asStrings(props.IdentitySource, `${where}.IdentitySource`) };
}
