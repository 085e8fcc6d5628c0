import { createResolver, type Resolver } from './intrinsics';
import { attribute, physicalId, pseudoParameters, type LocalValues } from './physical';
import type { CfnTemplate } from './types';

/** Name of the template parameter that carries the CloudFront public key (deployers pass it on AWS). */
export const SIGNING_PUBLIC_KEY_PARAMETER = 'SigningPublicKeyPem';

/** Resolves template values as they would be after deploying the template to the local services. */
export function localResolver(template: CfnTemplate, values: LocalValues, parameters: Readonly<Record<string, string>>): Resolver {
  return createResolver({
    template,
    parameters,
    pseudo: pseudoParameters(values.stackName),
    ref: (logicalId) => physicalId(template, values, logicalId),
    getAtt: (logicalId, name) => attribute(template, values, logicalId, name),
  });
}
