/**
 * The HTTP API as the template defines it: each AWS::ApiGatewayV2::Route's key, the function behind its
 * Lambda proxy integration, its JWT authorizer (issuer translated to cognito-local's address) and the
 * scopes the route requires.
 */
import { localOrigin, type CorsModel } from '../http/cors';
import type { FunctionModel } from './functions';
import { apiIdOf, apisOf, routeIntegration } from './integrations';
import type { Resolver } from './intrinsics';
import { asObject, asString, asStrings, resourcesOfType } from './resources';
import type { CfnTemplate } from './types';

export interface JwtAuthorizerModel {
  readonly name: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Where the token is read from; API Gateway's default is the Authorization header. */
  readonly identitySource: readonly string[];
}

export interface RouteModel {
  readonly routeKey: string;
  readonly function: FunctionModel;
  readonly authorizer?: JwtAuthorizerModel;
  /** The route's AuthorizationScopes: a token must carry one of them (none listed: no scope check). */
  readonly authorizationScopes: readonly string[];
}

/** Rewrites `https://cognito-idp.<region>.amazonaws.com/<poolId>` to the issuer cognito-local signs with. */
export type IssuerMapper = (issuer: string) => string;

export function apiRoutes(
  template: CfnTemplate,
  resolve: Resolver,
  functions: readonly FunctionModel[],
  mapIssuer: IssuerMapper,
): RouteModel[] {
  const apis = apisOf(template, 'HTTP');
  if (apis.length > 1) throw new Error(`the local runtime serves one HTTP API; the template has ${apis.length}`);
  // Routes of WebSocket APIs are served by local/socket (template/socket-model.ts).
  const socketApis = new Set(apisOf(template, 'WEBSOCKET'));
  const authorizers = new Map(resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer'));

  return resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
    .filter(([, route]) => !socketApis.has(apiIdOf(route) ?? ''))
    .map(([logicalId, route]) => {
      const where = `AWS::ApiGatewayV2::Route ${logicalId}`;
      const props = asObject(resolve(route.Properties ?? {}, where), where);
      const routeKey = asString(props.RouteKey, `${where}.RouteKey`);
      const integration = routeIntegration(template, resolve, functions, props, `${where} (${routeKey})`);
      if (String(integration.properties.PayloadFormatVersion ?? '2.0') !== '2.0') {
        throw new Error(`${integration.where}: only payload format 2.0 is supported locally`);
      }

      let authorizer: JwtAuthorizerModel | undefined;
      if (props.AuthorizationType === 'JWT') {
        const authorizerId = asString(props.AuthorizerId, `${where}.AuthorizerId`);
        const resource = authorizers.get(authorizerId);
        if (!resource) throw new Error(`${where}: unknown authorizer ${authorizerId}`);
        authorizer = jwtAuthorizer(authorizerId, asObject(resolve(resource.Properties ?? {}, authorizerId), authorizerId), mapIssuer);
      } else if (props.AuthorizationType !== undefined && props.AuthorizationType !== 'NONE') {
        throw new Error(`${where}: authorization type ${String(props.AuthorizationType)} is not supported locally`);
      }
      const authorizationScopes = props.AuthorizationScopes === undefined ? [] : asStrings(props.AuthorizationScopes, `${where}.AuthorizationScopes`);
      if (authorizationScopes.length > 0 && !authorizer) throw new Error(`${where}: AuthorizationScopes need a JWT authorizer`);
      return { routeKey, function: integration.function, authorizer, authorizationScopes };
    });
}

function jwtAuthorizer(logicalId: string, props: Readonly<Record<string, unknown>>, mapIssuer: IssuerMapper): JwtAuthorizerModel {
  const where = `AWS::ApiGatewayV2::Authorizer ${logicalId}`;
  if (props.AuthorizerType !== 'JWT') throw new Error(`${where}: only JWT authorizers are supported locally`);
  const config = asObject(props.JwtConfiguration, `${where}.JwtConfiguration`);
  return {
    name: String(props.Name ?? logicalId),
    issuer: mapIssuer(asString(config.Issuer, `${where}.JwtConfiguration.Issuer`)),
    audience: asStrings(config.Audience, `${where}.JwtConfiguration.Audience`),
    identitySource: props.IdentitySource ? asStrings(props.IdentitySource, `${where}.IdentitySource`) : ['$request.header.Authorization'],
  };
}

/** The HTTP API's CorsConfiguration, origins in their local form; undefined when it has none. */
export function apiCors(template: CfnTemplate, resolve: Resolver): CorsModel | undefined {
  const api = resourcesOfType(template, 'AWS::ApiGatewayV2::Api').find(([, r]) => r.Properties?.ProtocolType === 'HTTP');
  if (!api?.[1].Properties?.CorsConfiguration) return undefined;
  const where = `AWS::ApiGatewayV2::Api ${api[0]}.CorsConfiguration`;
  const config = asObject(resolve(api[1].Properties.CorsConfiguration, where), where);
  const list = (value: unknown, name: string) => (value === undefined ? [] : asStrings(value, `${where}.${name}`));
  return {
    allowOrigins: list(config.AllowOrigins, 'AllowOrigins').map(localOrigin),
    allowMethods: list(config.AllowMethods, 'AllowMethods'),
    allowHeaders: list(config.AllowHeaders, 'AllowHeaders'),
    exposeHeaders: list(config.ExposeHeaders, 'ExposeHeaders'),
    maxAgeSeconds: typeof config.MaxAge === 'number' ? config.MaxAge : undefined,
  };
}
