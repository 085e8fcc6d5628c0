import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { generateKeyPairSync } from 'node:crypto';
import { cannedPolicy, resourceOf, verifySignedUrl, wildcardMatch } from '../../../local/edge/signed-url';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};
const key = pair();
const KEY_ID = 'KLOCALTEST1234';
const trustedKeys = new Map([[KEY_ID, key.publicKey]]);
const NOW = 1_800_000_000;
const RESOURCE = 'http://127.0.0.1:4081/chunks/owner-1/abc';

const verify = (url: string, opts: { now?: number; ip?: string; keys?: Map<string, string> } = {}) =>
  verifySignedUrl({ url: new URL(url), nowSeconds: opts.now ?? NOW, sourceIp: opts.ip ?? '127.0.0.1', trustedKeys: opts.keys ?? trustedKeys });

const canned = (overrides: Partial<Parameters<typeof getSignedUrl>[0]> = {}) =>
  getSignedUrl({ url: RESOURCE, keyPairId: KEY_ID, privateKey: key.privateKey, dateLessThan: new Date((NOW + 60) * 1000), ...overrides } as Parameters<typeof getSignedUrl>[0]);

const custom = (statement: object, overrides: Partial<Parameters<typeof getSignedUrl>[0]> = {}) =>
  getSignedUrl({ url: RESOURCE, keyPairId: KEY_ID, privateKey: key.privateKey, policy: JSON.stringify({ Statement: [statement] }), ...overrides } as Parameters<typeof getSignedUrl>[0]);

const until = (seconds: number) => ({ DateLessThan: { 'AWS:EpochTime': seconds } });

test('a canned URL signed by the AWS SDK signer verifies', () => {
  expect(verify(canned())).toEqual({ ok: true });
});

test('a canned URL signed with SHA-256 (Hash-Algorithm=SHA256) verifies', () => {
  expect(verify(canned({ algorithm: 'SHA256' }))).toEqual({ ok: true });
});

test.each([
  ['expired', () => verify(canned(), { now: NOW + 61 }), 'AccessDenied'],
  ['expiring exactly now', () => verify(canned(), { now: NOW + 60 }), 'AccessDenied'],
  ['another path with the same signature', () => verify(canned().replace('/abc', '/abd')), 'AccessDenied'],
  ['a later Expires with the same signature', () => verify(canned().replace(/Expires=\d+/, `Expires=${NOW + 9999}`)), 'AccessDenied'],
  ['signed by another key', () => verify(canned({ privateKey: pair().privateKey })), 'AccessDenied'],
  ['an untrusted key pair id', () => verify(canned({ keyPairId: 'KOTHER' })), 'InvalidKey'],
  ['no Key-Pair-Id', () => verify(RESOURCE), 'MissingKey'],
])('a canned URL %s is refused', (_, run, code) => {
  expect(run()).toMatchObject({ ok: false, code });
});

test.each([
  ['an exact resource', { Resource: RESOURCE, Condition: until(NOW + 60) }, true],
  ['a wildcard over the owner prefix', { Resource: 'http://127.0.0.1:4081/chunks/owner-1/*', Condition: until(NOW + 60) }, true],
  ['a ? wildcard', { Resource: 'http://127.0.0.1:4081/chunks/owner-1/ab?', Condition: until(NOW + 60) }, true],
  ['no resource (everything)', { Condition: until(NOW + 60) }, true],
  ['another owner prefix', { Resource: 'http://127.0.0.1:4081/chunks/owner-2/*', Condition: until(NOW + 60) }, false],
  ['an expired policy', { Resource: RESOURCE, Condition: until(NOW - 1) }, false],
  ['a policy not valid yet', { Resource: RESOURCE, Condition: { ...until(NOW + 60), DateGreaterThan: { 'AWS:EpochTime': NOW + 30 } } }, false],
  ['a policy for this IP range', { Resource: RESOURCE, Condition: { ...until(NOW + 60), IpAddress: { 'AWS:SourceIp': '127.0.0.0/8' } } }, true],
  ['a policy for another IP range', { Resource: RESOURCE, Condition: { ...until(NOW + 60), IpAddress: { 'AWS:SourceIp': '10.0.0.0/8' } } }, false],
])('a custom policy with %s', (_, statement, ok) => {
  expect(verify(custom(statement)).ok).toBe(ok);
});

test('a custom policy swapped into another signed URL is refused', () => {
  // Prepare
  const wide = new URL(custom({ Condition: until(NOW + 60) }));
  const narrow = new URL(custom({ Resource: 'http://127.0.0.1:4081/nothing', Condition: until(NOW + 60) }));
  narrow.searchParams.set('Policy', wide.searchParams.get('Policy') as string);

  // Act + Assess
  expect(verify(narrow.toString())).toMatchObject({ ok: false, code: 'AccessDenied' });
});

test('the resource keeps other query parameters and drops the signing ones', () => {
  expect(resourceOf(new URL('http://h:1/p?a=1&Expires=2&Signature=x&Key-Pair-Id=K&b=2'))).toBe('http://h:1/p?a=1&b=2');
});

test('the canned policy is the exact JSON CloudFront signs', () => {
  expect(cannedPolicy('http://h/p', 5)).toBe('{"Statement":[{"Resource":"http://h/p","Condition":{"DateLessThan":{"AWS:EpochTime":5}}}]}');
});

test.each([
  ['http://h/a/*', 'http://h/a/b/c', true],
  ['http://h/a/*', 'http://h/b', false],
  ['http*://h/a', 'https://h/a', true],
  ['http://h/a.b', 'http://h/aXb', false],
])('wildcard %s against %s', (pattern, value, expected) => {
  expect(wildcardMatch(pattern, value)).toBe(expected);
});
