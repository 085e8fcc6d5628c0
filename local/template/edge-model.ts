/**
 * The CloudFront distribution as the local edge serves it: cache behaviors in CloudFront's matching
 * order, the S3 bucket each one reads from, and the public keys (by key pair id) each one trusts.
 */
import type { Resolver } from './intrinsics';
import { asObject, asString, asStrings, resourcesOfType } from './resources';
import type { CfnTemplate, JsonObject } from './types';

export interface BehaviorModel {
  /** CloudFront path pattern; the default behavior's is `*`. */
  readonly pathPattern: string;
  readonly bucket: string;
  readonly originPath: string;
  readonly allowedMethods: readonly string[];
  /** Key pair ids whose signatures this behavior accepts; empty means URLs need no signature. */
  readonly trustedKeyPairIds: readonly string[];
}

export interface DistributionModel {
  /** Specific behaviors first, in template order, then the default one. */
  readonly behaviors: readonly BehaviorModel[];
  /** Public key PEM by key pair id. */
  readonly publicKeys: ReadonlyMap<string, string>;
}

export function distributionModel(template: CfnTemplate, resolve: Resolver): DistributionModel | undefined {
  const distributions = resourcesOfType(template, 'AWS::CloudFront::Distribution');
  if (distributions.length === 0) return undefined;
  if (distributions.length > 1) throw new Error(`the local edge serves one distribution; the template has ${distributions.length}`);
  const [logicalId, resource] = distributions[0];
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
    };
  };
  const specific = (Array.isArray(config.CacheBehaviors) ? config.CacheBehaviors : []).map((raw: unknown) =>
    behavior(raw, asString(asObject(raw, where).PathPattern, `${where} PathPattern`)),
  );
  return { behaviors: [...specific, behavior(config.DefaultCacheBehavior, '*')], publicKeys };
}

/** The bucket behind an S3 origin, read from its domain name (`<bucket>.s3.<region>.amazonaws.com`). */
function s3OriginBucket(origin: JsonObject, where: string): string {
  const domain = asString(origin.DomainName, `${where}.DomainName`);
  const bucket = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(domain)?.[1];
  if (!bucket) throw new Error(`${where}: only S3 origins are served locally, not ${domain}`);
  return bucket;
}
