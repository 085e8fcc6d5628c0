/**
 * The chunk upload URLs the API hands out, checked by S3 itself: a forged signature and a URL
 * re-pointed at another user's chunk are refused, and the bucket answers browsers' CORS preflights
 * with the rules the stack deploys. s3rver checks none of this, so these run only on a real S3:
 * radosgw under the local runtime, or the deployment TOTE_API_URL names. Expiry, minutes away for
 * the API's URLs, is checked on radosgw with URLs signed in the past (radosgw/presigned-urls.test.ts).
 */
import type { DownloadResponse, PresignedPut } from '@contract/schemas';
import { api } from './harness/api';
import { signedInUser } from './harness/fixture';
import { targetHasRealS3 } from './harness/s3-backend';
import { TARGET_ENV } from './harness/target-env';
import { SETUP_TIMEOUT_MS } from './harness/timeouts';
import { forgeSignature, send } from './harness/s3-http';
import { putChunk, startUpload, testFile, uploadFile } from './harness/uploads';
import { createUser, type TestUser } from './harness/users';
import { webUrlOf } from './harness/web-url';

const onRealS3 = targetHasRealS3() ? describe : describe.skip;
/** The local runtime deploys the stack with its default web origins; a deployment's own are not known here. */
const onLocalRealS3 = targetHasRealS3() && process.env[TARGET_ENV.localRuntime] ? describe : describe.skip;

const fixture = signedInUser();

async function firstUrl(user: TestUser, path: string): Promise<{ put: PresignedPut; bytes: Buffer }> {
  const file = testFile(path, [8 * 1024]);
  const started = await startUpload(fixture.target, user, file);
  expect(started.status).toBe(200);
  return { put: started.json.urls[0], bytes: file.chunks[0].bytes };
}

onRealS3('chunk upload URLs on a real S3', () => {
  it('refuses a URL whose signature was forged, and stores nothing', async () => {
    const { put, bytes } = await firstUrl(fixture.user, '/urls/forged.bin');

    const answer = await send(forgeSignature(put.url), { method: 'PUT', headers: put.headers, body: bytes });

    expect(answer).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    // Nothing was stored: the genuine URL still creates the chunk (a stored one would answer 412).
    expect(await putChunk(put, bytes)).toBe(200);
  });

  it(
    "refuses a URL re-pointed at another user's chunk, which stays as it was",
    async () => {
      const victim = await createUser(fixture.target);
      const file = testFile('/urls/victim.bin', [8 * 1024]);
      const meta = await uploadFile(fixture.target, victim, file);
      // The same chunk asked for by the attacker: missing in the attacker's namespace, so a URL is issued.
      const started = await startUpload(fixture.target, fixture.user, { ...file, path: '/urls/attacker.bin' });
      const [mine] = started.json.urls;
      const retargeted = new URL(mine.url);
      retargeted.pathname = retargeted.pathname.replace(`/${fixture.user.sub}/`, `/${victim.sub}/`);
      expect(retargeted.pathname).toContain(`/${victim.sub}/${file.chunks[0].hash}`);

      const answer = await send(retargeted.toString(), { method: 'PUT', headers: mine.headers, body: Buffer.alloc(file.chunks[0].size, 0x41) });

      expect(answer).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      const download = await api<DownloadResponse>(fixture.target, 'GET', `/files/${meta.fileId}/download`, { token: victim.accessToken });
      const stored = Buffer.from(await (await fetch(download.json.chunks[0].url)).arrayBuffer());
      expect(stored.equals(file.chunks[0].bytes)).toBe(true);
    },
    SETUP_TIMEOUT_MS,
  );
});

onLocalRealS3('CORS preflights for chunk uploads from browsers', () => {
  const preflight = async (origin: string) => {
    const { put } = await firstUrl(fixture.user, `/urls/cors-${Date.now()}.bin`);
    return fetch(put.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': Object.keys(put.headers).join(',') },
    });
  };

  it('allows the web app origin the stack names, with the headers our URLs are signed with', async () => {
    const webOrigin = new URL(webUrlOf(fixture.target)).origin;

    const res = await preflight(webOrigin);

    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(webOrigin);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-none-match');
  });

  it('refuses any other origin', async () => {
    const res = await preflight('https://evil.example');

    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
