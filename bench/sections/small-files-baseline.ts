/**
 * The plain S3 baseline for many small files: the same count and size to and from the same S3
 * endpoint with nothing but the SDK, one PutObject (up) and one GetObject (down) per file, 16 in
 * flight, each body written to a file; nothing hashed, verified or flushed.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { timed } from '../measure';
import type { Service } from '../service';
import type { SmallFiles } from './small-files';

export const BASELINE_IN_FLIGHT = 16;

/** Seconds to put `spec`'s files into a fresh bucket and to get them back into `name` under the work dir. */
export async function smallFilesBaseline(service: Service, spec: SmallFiles, name: string): Promise<{ upSeconds: number; downSeconds: number }> {
  const { s3, bucket } = await service.baselineBucket();
  const keys = Array.from({ length: spec.count }, (_, i) => `small/f${String(i).padStart(5, '0')}.bin`);
  const limit = pLimit(BASELINE_IN_FLIGHT);
  const up = await timed(() => Promise.all(keys.map((Key) => limit(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: randomBytes(spec.bytes) }))))));
  const local = join(service.workDir, name);
  mkdirSync(local, { recursive: true });
  const down = await timed(() =>
    Promise.all(
      keys.map((Key, i) =>
        limit(async () => {
          const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
          await writeFile(join(local, `f${i}.bin`), await out.Body!.transformToByteArray());
        }),
      ),
    ),
  );
  return { upSeconds: up.seconds, downSeconds: down.seconds };
}
