/**
 * Downloads go through CloudFront with signed URLs: the URLs the API hands out fetch exactly the
 * stored bytes; a tampered signature, a URL edited to name another object, an expired URL or a policy
 * that does not cover the object is refused with 403 at the edge.
 */
import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import type { DownloadResponse } from '@contract/schemas';
import { api } from './harness/api';
import { signingPrivateKey } from './harness/signing-key';
import { getTarget, type Target } from './harness/target';
import { testFile, uploadFile, type TestFile } from './harness/uploads';
import { createUser, type TestUser } from './harness/users';
import { SETUP_TIMEOUT_MS } from './harness/timeouts';

let target: Target;
let user: TestUser;
let file: TestFile;
let download: DownloadResponse;
let privateKey: string;

beforeAll(async () => {
  target = await getTarget();
  user = await createUser(target);
  file = testFile('/edge/photo.jpg', [40 * 1024, 3000]);
  const meta = await uploadFile(target, user, file);
  const answer = await api<DownloadResponse>(target, 'GET', `/files/${meta.fileId}/download`, { token: user.accessToken });
  expect(answer.status).toBe(200);
  download = answer.json;
  privateKey = await signingPrivateKey(target);
}, SETUP_TIMEOUT_MS);

const urlOf = (index: number) => new URL(download.chunks[index].url);
const keyPairIdOf = (url: URL) => url.searchParams.get('Key-Pair-Id') as string;
/** The chunk's URL without CloudFront's signing parameters. */
const unsigned = (url: URL) => `${url.origin}${url.pathname}`;

async function get(url: string, method = 'GET') {
  const res = await fetch(url, { method });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

test('the signed URLs the API hands out serve exactly the stored chunk bytes', async () => {
  // Act
  const answers = await Promise.all(download.chunks.map((chunk) => get(chunk.url)));

  // Assess
  answers.forEach((answer, i) => {
    expect(answer.status).toBe(200);
    expect(Number(answer.headers.get('content-length'))).toBe(file.chunks[i].size);
    expect(answer.body.equals(file.chunks[i].bytes)).toBe(true);
  });
});

test('HEAD answers the size without the bytes', async () => {
  // Act
  const answer = await get(download.chunks[0].url, 'HEAD');

  // Assess
  expect(answer.status).toBe(200);
  expect(Number(answer.headers.get('content-length'))).toBe(file.chunks[0].size);
});

test('a tampered signature answers 403', async () => {
  // Prepare
  const url = urlOf(0);
  const signature = url.searchParams.get('Signature') as string;
  url.searchParams.set('Signature', (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1));

  // Act
  const answer = await get(url.toString());

  // Assess
  expect(answer.status).toBe(403);
});

test('a signed URL edited to name another chunk answers 403', async () => {
  // Prepare: chunk 1's path with chunk 0's signature
  const url = urlOf(0);
  url.pathname = urlOf(1).pathname;

  // Act
  const answer = await get(url.toString());

  // Assess
  expect(answer.status).toBe(403);
});

test('a URL without a signature answers 403', async () => {
  // Act
  const answer = await get(unsigned(urlOf(0)));

  // Assess
  expect(answer.status).toBe(403);
});

test('an expired URL signed with the real key answers 403, the same URL unexpired answers 200', async () => {
  // Prepare
  const url = urlOf(0);
  const sign = (dateLessThan: Date) => getSignedUrl({ url: unsigned(url), keyPairId: keyPairIdOf(url), privateKey, dateLessThan });

  // Act
  const expired = await get(sign(new Date(Date.now() - 60_000)));
  const valid = await get(sign(new Date(Date.now() + 60_000)));

  // Assess
  expect(expired.status).toBe(403);
  expect(valid.status).toBe(200);
});

test('a custom policy covering the owner prefix serves the chunk; one covering another prefix answers 403', async () => {
  // Prepare
  const url = urlOf(0);
  const policy = (resource: string) =>
    JSON.stringify({
      Statement: [{ Resource: resource, Condition: { DateLessThan: { 'AWS:EpochTime': Math.floor(Date.now() / 1000) + 60 } } }],
    });
  const prefix = unsigned(url).replace(/[^/]+$/, '');
  const sign = (resource: string) => getSignedUrl({ url: unsigned(url), keyPairId: keyPairIdOf(url), privateKey, policy: policy(resource) });

  // Act
  const covered = await get(sign(`${prefix}*`));
  const elsewhere = await get(sign(`${prefix.replace(/chunks\/[^/]+\//, 'chunks/someone-else/')}*`));

  // Assess
  expect(covered.status).toBe(200);
  expect(covered.body.equals(file.chunks[0].bytes)).toBe(true);
  expect(elsewhere.status).toBe(403);
});
