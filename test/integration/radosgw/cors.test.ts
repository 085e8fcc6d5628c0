/**
 * A browser uploads chunks straight to S3, so the bucket's CORS rules decide which web origins may.
 * The rules come from our ChunkBucket construct; radosgw answers the preflights as S3 would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { ChunkPresigner } from '@repo/presigner';
import { radosgwS3Client } from '../../../local/ceph/s3-client';
import { chunkBucketCorsRules } from './support/bucket-cors';
import { describeOnRadosgw } from './support/radosgw-suite';

const BUCKET = 'tote-cors';
const WEB_APP = 'https://app.tote.example';
const STRANGER = 'https://evil.example';
/** Synthesizing the bucket construct loads aws-cdk-lib: seconds on a busy machine. */
const SYNTH_TIMEOUT_MS = 120_000;

describeOnRadosgw('CORS on radosgw with the chunk bucket rules', (rgw) => {
  let s3: S3Client;
  let presigner: ChunkPresigner;
  let chunkUrl: string;

  beforeAll(async () => {
    s3 = radosgwS3Client(rgw());
    presigner = new ChunkPresigner(s3, BUCKET);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: chunkBucketCorsRules([WEB_APP]) } }));
    chunkUrl = (await presigner.presignPut('owner-a', 'a'.repeat(64))).url;
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => s3?.destroy());

  function preflight(origin: string, method: string): Promise<Response> {
    return fetch(chunkUrl, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'if-none-match,x-amz-meta-tote-compression' },
    });
  }

  it('lets the web app preflight a chunk PUT with our signed headers', async () => {
    const res = await preflight(WEB_APP, 'PUT');

    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(WEB_APP);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-none-match');
  });

  it('refuses a preflight from an origin the rules do not name', async () => {
    const res = await preflight(STRANGER, 'PUT');

    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a preflight for a method the rules do not allow', async () => {
    const res = await preflight(WEB_APP, 'DELETE');

    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes the ETag of a chunk the web app uploaded', async () => {
    const bytes = randomBytes(1024);
    const put = await presigner.presignPut('owner-a', createHash('sha256').update(bytes).digest('hex'));

    const res = await fetch(put.url, { method: 'PUT', body: bytes, headers: { ...put.headers, origin: WEB_APP } });

    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(WEB_APP);
    expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
  });
});
