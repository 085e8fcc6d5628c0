/**
 * CloudFront signed-URL verification, canned and custom policies. A canned URL carries Expires,
 * Signature and Key-Pair-Id, and its signature covers the policy CloudFront rebuilds from the URL itself;
 * a custom URL carries the policy (base64) and its signature. Signatures are RSA-SHA1 (or RSA-SHA256
 * with Hash-Algorithm=SHA256) in CloudFront's URL-safe base64, by a key the behavior trusts.
 */
import { createVerify } from 'node:crypto';
import { fromCloudFrontBase64 } from './cloudfront-base64';

export type SignedUrlVerdict = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

/** Query parameters CloudFront consumes; the rest of the URL is the resource the policy names. */
const SIGNING_PARAMS = ['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm'];

const deny = (code: string, message: string): SignedUrlVerdict => ({ ok: false, code, message });

export interface VerifyInput {
  /** The URL as the viewer requested it (scheme, host, path, query). */
  readonly url: URL;
  readonly nowSeconds: number;
  readonly sourceIp: string;
  /** Public key PEMs by key pair id, of the key groups the matched behavior trusts. */
  readonly trustedKeys: ReadonlyMap<string, string>;
}

export function verifySignedUrl({ url, nowSeconds, sourceIp, trustedKeys }: VerifyInput): SignedUrlVerdict {
  const q = url.searchParams;
  const keyPairId = q.get('Key-Pair-Id');
  if (!keyPairId) return deny('MissingKey', 'Missing Key-Pair-Id query parameter or cookie value');
  const publicKey = trustedKeys.get(keyPairId);
  if (!publicKey) return deny('InvalidKey', 'Unknown Key');
  const signature = q.get('Signature');
  if (!signature) return deny('MissingKey', 'Missing Signature query parameter');
  const algorithm = q.get('Hash-Algorithm') ?? 'SHA1';
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256') return deny('InvalidHashAlgorithm', `Unsupported Hash-Algorithm ${algorithm}`);
  const resource = resourceOf(url);

  let policyText: string;
  if (q.has('Policy')) {
    policyText = fromCloudFrontBase64(q.get('Policy') as string).toString('utf8');
  } else {
    const expires = q.get('Expires');
    if (!expires || !/^\d+$/.test(expires)) return deny('MalformedPolicy', 'Missing or malformed Expires');
    policyText = cannedPolicy(resource, Number(expires));
  }
  const verifier = createVerify(`RSA-${algorithm}`).update(policyText);
  if (!verifier.verify(publicKey, fromCloudFrontBase64(signature))) return deny('AccessDenied', 'Access denied: signature does not match');

  const policy = parsePolicy(policyText);
  if (!policy) return deny('MalformedPolicy', 'Malformed Policy');
  if (policy.resource !== undefined && !wildcardMatch(policy.resource, resource)) {
    return deny('AccessDenied', 'Access denied: the policy does not cover this URL');
  }
  if (!(nowSeconds < policy.dateLessThan)) return deny('AccessDenied', 'Access denied: the URL has expired');
  if (policy.dateGreaterThan !== undefined && !(nowSeconds > policy.dateGreaterThan)) {
    return deny('AccessDenied', 'Access denied: the URL is not valid yet');
  }
  if (policy.sourceIp !== undefined && !ipInCidr(sourceIp, policy.sourceIp)) {
    return deny('AccessDenied', 'Access denied: source IP not allowed');
  }
  return { ok: true };
}

/** The exact JSON CloudFront signs for a canned policy (no whitespace, this key order). */
export const cannedPolicy = (resource: string, expires: number) =>
  `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;

/** The URL without CloudFront's own parameters, other parameters kept in order. */
export function resourceOf(url: URL): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair && !SIGNING_PARAMS.includes(decodeURIComponent(pair.split('=')[0])));
  return `${url.protocol}//${url.host}${url.pathname}${kept.length ? `?${kept.join('&')}` : ''}`;
}

interface Policy {
  readonly resource?: string;
  readonly dateLessThan: number;
  readonly dateGreaterThan?: number;
  readonly sourceIp?: string;
}

function parsePolicy(text: string): Policy | undefined {
  try {
    const statement = (JSON.parse(text) as { Statement?: Array<Record<string, unknown>> }).Statement?.[0];
    const condition = statement?.Condition as Record<string, Record<string, unknown>> | undefined;
    const lessThan = condition?.DateLessThan?.['AWS:EpochTime'];
    if (typeof lessThan !== 'number') return undefined;
    const greaterThan = condition?.DateGreaterThan?.['AWS:EpochTime'];
    const ip = condition?.IpAddress?.['AWS:SourceIp'];
    return {
      resource: typeof statement?.Resource === 'string' ? statement.Resource : undefined,
      dateLessThan: lessThan,
      dateGreaterThan: typeof greaterThan === 'number' ? greaterThan : undefined,
      sourceIp: typeof ip === 'string' ? ip : undefined,
    };
  } catch {
    return undefined;
  }
}

/** CloudFront policy wildcards: `*` any run of characters, `?` exactly one. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bits = '32'] = cidr.split('/');
  const toInt = (v: string) => v.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base)) return ip === base;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}
