/**
 * The CloudFront distributions as the local edges serve them: cache behaviors in CloudFront's matching
 * order, the S3 bucket each one reads from, the public keys (by key pair id) each one trusts, its
 * viewer-request CloudFront Function and its response headers policy (CORS, security headers).
 */
import * as vm from 'node:vm';
import { localOrigin, type CorsModel } from '../http/cors';
import type { Resolver } from './intrinsics';
import { asObject, asString, asStrings, resourcesOfType } from './resources';
import type { CfnResource, CfnTemplate, JsonObject } from './types';

export interface BehaviorModel {
  /** CloudFront path pattern; the default behavior's is `*`. */
  readonly pathPattern: string;
  readonly bucket: string;
  readonly originPath: string;
  readonly allowedMethods: readonly string[];
  /** Key pair ids whose signatures this behavior accepts; empty means URLs need no signature. */
  readonly trustedKeyPairIds: readonly string[];
  /** The viewer-request CloudFront Function, as the URI it makes of a request's URI. */
  readonly viewerRequest?: (request: ViewerRequest) => ViewerRequestResult;
  /** The response headers policy's CORS, origins in their local form. */
  readonly cors?: CorsModel;
  /** The response headers policy's security headers (HSTS left out: nothing is served over TLS locally). */
  readonly securityHeaders: Readonly<Record<string, string>>;
}

export interface DistributionModel {
  readonly logicalId: string;
  /** What `/` is answered with. */
  readonly defaultRootObject?: string;
  /** Specific behaviors first, in template order, then the default one. */
  readonly behaviors: readonly BehaviorModel[];
  /** Public key PEM by key pair id. */
  readonly publicKeys: ReadonlyMap<string, string>;
}

/** Every distribution of the template, in template order. */
export function distributionModels(template: CfnTemplate, resolve: Resolver): DistributionModel[] {
  return resourcesOfType(template, 'AWS::CloudFront::Distribution').map(([logicalId, resource]) => distributionModel(template, resolve, logicalId, resource));
}

/** True when every request to the distribution's default behavior needs a signed URL (the chunk CDN). */
export const servesSignedUrlsOnly = (distribution: DistributionModel): boolean =>
  (distribution.behaviors[distribution.behaviors.length - 1]?.trustedKeyPairIds.length ?? 0) > 0;

function distributionModel(template: CfnTemplate, resolve: Resolver, logicalId: string, resource: CfnResource): DistributionModel {
  const where = `AWS::CloudFront::Distribution ${logicalId}`;
  const config = asObject(asObject(resolve(resource.Properties ?? {}, where), where).DistributionConfig, `${where}.DistributionConfig`);

  const origins = new Map(
    (Array.isArray(config.Origins) ? config.Origins : []).map((raw: unknown) => {
      const origin = asObject(raw, `${where}.Origins`);
      return [asString(origin.Id, `${where} origin Id`), origin] as const;
    }),
  );
  const keyGroups = new Map(
    resourcesOfType(template, 'AWS::CloudFront::KeyGroup').map(([id, r]) => {
      const groupWhere = `AWS::CloudFront::KeyGroup ${id}`;
      const group = asObject(asObject(resolve(r.Properties ?? {}, groupWhere), groupWhere).KeyGroupConfig, groupWhere);
      return [id, asStrings(group.Items, `${groupWhere}.Items`)] as const;
    }),
  );
  const publicKeys = new Map(
    resourcesOfType(template, 'AWS::CloudFront::PublicKey').map(([id, r]) => {
      const keyWhere = `AWS::CloudFront::PublicKey ${id}`;
      const key = asObject(asObject(resolve(r.Properties ?? {}, keyWhere), keyWhere).PublicKeyConfig, keyWhere);
      return [asString(resolve({ Ref: id }, keyWhere), keyWhere), asString(key.EncodedKey, `${keyWhere}.EncodedKey`)] as const;
    }),
  );

  const behavior = (raw: unknown, pathPattern: string): BehaviorModel => {
    const b = asObject(raw, `${where} behavior ${pathPattern}`);
    const originId = asString(b.TargetOriginId, `${where} behavior ${pathPattern}.TargetOriginId`);
    const origin = origins.get(originId);
    if (!origin) throw new Error(`${where}: behavior ${pathPattern} targets unknown origin ${originId}`);
    return {
      pathPattern,
      bucket: s3OriginBucket(origin, `${where} origin ${originId}`),
      originPath: String(origin.OriginPath ?? ''),
      allowedMethods: b.AllowedMethods ? asStrings(b.AllowedMethods, 'AllowedMethods') : ['GET', 'HEAD'],
      trustedKeyPairIds: asStrings(b.TrustedKeyGroups ?? [], 'TrustedKeyGroups').flatMap((group) => keyGroups.get(group) ?? []),
      viewerRequest: viewerRequestFunction(template, b, `${where} behavior ${pathPattern}`),
      ...responseHeaders(template, resolve, b.ResponseHeadersPolicyId),
    };
  };
  const specific = (Array.isArray(config.CacheBehaviors) ? config.CacheBehaviors : []).map((raw: unknown) =>
    behavior(raw, asString(asObject(raw, where).PathPattern, `${where} PathPattern`)),
  );
  return {
    logicalId,
    defaultRootObject: typeof config.DefaultRootObject === 'string' && config.DefaultRootObject ? config.DefaultRootObject : undefined,
    behaviors: [...specific, behavior(config.DefaultCacheBehavior, '*')],
    publicKeys,
  };
}

/** What a viewer-request function sees of a request: its path, query and headers (names lower-case). */
export interface ViewerRequest {
  readonly uri: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A rewritten path to serve, or the status the function answered by itself (a refusal). */
export type ViewerRequestResult = { readonly uri: string } | { readonly status: number };

/**
 * The behavior's viewer-request function, run in a V8 context of its own as CloudFront runs it in its
 * own runtime, with the request's path, query and headers in CloudFront's event shape. It may rewrite
 * the path or answer by itself with a status (a refusal: no body is served locally).
 */
function viewerRequestFunction(template: CfnTemplate, behavior: JsonObject, where: string): ((request: ViewerRequest) => ViewerRequestResult) | undefined {
  const associations = Array.isArray(behavior.FunctionAssociations) ? behavior.FunctionAssociations : [];
  const association = associations.map((a) => asObject(a, where)).find((a) => a.EventType === 'viewer-request');
  if (!association) return undefined;
  // Resolved already: the local ARN ends with the function's physical id, which is its logical id.
  const functionId = /function\/([^/]+)$/.exec(asString(association.FunctionARN, `${where} FunctionARN`))?.[1];
  const fn = functionId ? template.Resources[functionId] : undefined;
  if (!fn || fn.Type !== 'AWS::CloudFront::Function') throw new Error(`${where}: viewer-request function is not an AWS::CloudFront::Function of this template`);
  const code = asString(fn.Properties?.FunctionCode, `${functionId}.FunctionCode`);
  const handler = new vm.Script(`${code}\n;handler`, { filename: `${functionId}.js` }).runInNewContext({}) as (event: unknown) => { uri?: unknown; statusCode?: unknown };
  return ({ uri, query, headers }) => {
    const querystring = Object.fromEntries([...query].map(([name, value]) => [name, { value }]));
    const headerValues = Object.fromEntries(Object.entries(headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, { value }]] : [])));
    const result = handler({ version: '1.0', context: { eventType: 'viewer-request' }, request: { method: 'GET', uri, querystring, headers: headerValues, cookies: {} } });
    if (typeof result?.statusCode === 'number') return { status: result.statusCode };
    if (typeof result?.uri !== 'string') throw new Error(`${functionId} answered neither a request nor a status`);
    return { uri: result.uri };
  };
}

/** CORS and security headers of a behavior's response headers policy (resolved already: its physical id is its logical id). */
function responseHeaders(template: CfnTemplate, resolve: Resolver, id: unknown): Pick<BehaviorModel, 'cors' | 'securityHeaders'> {
  const policy = typeof id === 'string' ? template.Resources[id] : undefined;
  if (!policy) return { securityHeaders: {} };
  const where = `AWS::CloudFront::ResponseHeadersPolicy ${String(id)}`;
  const config = asObject(asObject(resolve(policy.Properties ?? {}, where), where).ResponseHeadersPolicyConfig, where);
  const items = (value: unknown) => asStrings((value as { Items?: unknown } | undefined)?.Items ?? [], where);
  const c = config.CorsConfig as JsonObject | undefined;
  const cors = c && {
    allowOrigins: items(c.AccessControlAllowOrigins).map(localOrigin),
    allowMethods: items(c.AccessControlAllowMethods),
    allowHeaders: items(c.AccessControlAllowHeaders),
    exposeHeaders: items(c.AccessControlExposeHeaders),
    maxAgeSeconds: typeof c.AccessControlMaxAgeSec === 'number' ? c.AccessControlMaxAgeSec : undefined,
  };
  const h = (config.SecurityHeadersConfig ?? {}) as Record<string, JsonObject | undefined>;
  const securityHeaders: Record<string, string> = {};
  if (h.ContentSecurityPolicy) securityHeaders['content-security-policy'] = asString(h.ContentSecurityPolicy.ContentSecurityPolicy, where);
  if (h.ContentTypeOptions) securityHeaders['x-content-type-options'] = 'nosniff';
  if (h.FrameOptions) securityHeaders['x-frame-options'] = asString(h.FrameOptions.FrameOption, where);
  if (h.ReferrerPolicy) securityHeaders['referrer-policy'] = asString(h.ReferrerPolicy.ReferrerPolicy, where);
  return { cors, securityHeaders };
}

/** The bucket behind an S3 origin, read from its domain name (`<bucket>.s3.<region>.amazonaws.com`). */
function s3OriginBucket(origin: JsonObject, where: string): string {
  const domain = asString(origin.DomainName, `${where}.DomainName`);
  const bucket = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(domain)?.[1];
  if (!bucket) throw new Error(`${where}: only S3 origins are served locally, not ${domain}`);
  return bucket;
}
