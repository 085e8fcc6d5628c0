/**
 * What HTTP and WebSocket APIs share in a template: routes belong to an API (`ApiId`), and a route's
 * `Target` names a Lambda proxy integration whose URI names the function.
 */
import { functionByArn, type FunctionModel } from './functions';
import type { Resolver } from './intrinsics';
import { asObject, asString, resourcesOfType } from './resources';
import type { CfnResource, CfnTemplate, JsonObject } from './types';

export type ApiProtocol = 'HTTP' | 'WEBSOCKET';

/** Logical ids of the template's APIs of one protocol. */
export const apisOf = (template: CfnTemplate, protocol: ApiProtocol): string[] =>
  resourcesOfType(template, 'AWS::ApiGatewayV2::Api')
    .filter(([, r]) => r.Properties?.ProtocolType === protocol)
    .map(([id]) => id);

/** The logical id of the API a route, stage or authorizer belongs to (`ApiId: {Ref: ...}`), if it names one. */
export const apiIdOf = (resource: CfnResource): string | undefined => {
  const ref = (resource.Properties?.ApiId as { Ref?: unknown } | undefined)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
};

/** The function behind a route's Lambda proxy integration, with the integration's resolved properties. */
export function routeIntegration(
  template: CfnTemplate,
  resolve: Resolver,
  functions: readonly FunctionModel[],
  route: JsonObject,
  where: string,
): { readonly function: FunctionModel; readonly properties: JsonObject; readonly where: string } {
  const integrationId = /^integrations\/(.+)$/.exec(asString(route.Target, `${where}.Target`))?.[1];
  const integration = integrationId ? template.Resources[integrationId] : undefined;
  if (!integrationId || integration?.Type !== 'AWS::ApiGatewayV2::Integration') throw new Error(`${where} has no integration the runtime knows`);
  const integrationWhere = `AWS::ApiGatewayV2::Integration ${integrationId}`;
  const properties = asObject(resolve(integration.Properties ?? {}, integrationWhere), integrationWhere);
  if (properties.IntegrationType !== 'AWS_PROXY') {
    throw new Error(`${integrationWhere}: only Lambda proxy integrations run locally, not ${String(properties.IntegrationType)}`);
  }
  const uri = asString(properties.IntegrationUri, `${integrationWhere}.IntegrationUri`);
  const fn = functionByArn(functions, uri);
  if (!fn) throw new Error(`${integrationWhere}: ${uri} is not a function with a bundled asset`);
  return { function: fn, properties, where: integrationWhere };
}
