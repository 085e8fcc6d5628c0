/**
 * Publishes a built web app (web/dist) into the bucket its CloudFront distribution serves, with the
 * config.json that names the API, each file with its content type and cache lifetime. The one way the
 * app gets to its bucket: `npm run publish:web` in AWS, the local runtime at every start.
 *
 *   npm run publish:web -- --bucket <WebBucketName> --api-url <ApiUrl>   (both are stack outputs)
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { WEB_CONFIG_FILE, webCacheControl } from '@contract/web-hosting';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildWeb, WEB_DIST } from './build';

export interface PublishedConfig {
  readonly apiUrl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Assets first and index.html last, so a visitor mid-publish never gets a page naming missing files. */
export async function publishWeb(s3: S3Client, bucket: string, dist: string, config: PublishedConfig): Promise<number> {
  const files = fs
    .readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dist, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort((a, b) => Number(a === 'index.html') - Number(b === 'index.html'));
  const put = (key: string, body: Buffer | string) =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream',
        CacheControl: webCacheControl(key),
      }),
    );
  await put(WEB_CONFIG_FILE, JSON.stringify(config));
  const assets = files.filter((f) => f !== 'index.html');
  await Promise.all(assets.map((file) => put(file, fs.readFileSync(path.join(dist, file)))));
  await put('index.html', fs.readFileSync(path.join(dist, 'index.html')));
  return files.length + 1;
}

function argument(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`--${name} is required (see the stack outputs)`);
  return value;
}

if (require.main === module) {
  (async () => {
    const bucket = argument('bucket');
    const apiUrl = argument('api-url');
    await buildWeb(WEB_DIST);
    const s3 = new S3Client({});
    const count = await publishWeb(s3, bucket, WEB_DIST, { apiUrl });
    process.stdout.write(`published ${count} files to s3://${bucket}\n`);
  })().catch((err: unknown) => {
    process.stderr.write(`publish failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
