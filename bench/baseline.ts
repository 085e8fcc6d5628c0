/**
 * The baseline Tote is measured against: the same file to and from the same S3 endpoint with nothing
 * but the SDK. Up: @aws-sdk/lib-storage's multipart Upload (its default 5 MiB parts, as many in flight
 * as Tote's chunk transfers). Down: ranged GETs of the same part size, as many in flight, each
 * written at its offset. No hashing, no verification, no chunking: the raw cost of moving the bytes.
 */
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import pLimit from 'p-limit';

const PART_BYTES = 5 * 1024 * 1024;

export async function baselineUpload(s3: S3Client, bucket: string, key: string, path: string, concurrency: number): Promise<void> {
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: createReadStream(path, { highWaterMark: PART_BYTES }) },
    queueSize: concurrency,
    partSize: PART_BYTES,
  });
  await upload.done();
}

export async function baselineDownload(s3: S3Client, bucket: string, key: string, path: string, size: number, concurrency: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const limit = pLimit(concurrency);
    const ranges = Array.from({ length: Math.ceil(size / PART_BYTES) }, (_, i) => i * PART_BYTES);
    await Promise.all(
      ranges.map((start) =>
        limit(async () => {
          const end = Math.min(size, start + PART_BYTES) - 1;
          const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` }));
          let at = start;
          for await (const piece of out.Body as Readable) {
            await handle.write(piece as Buffer, 0, (piece as Buffer).length, at);
            at += (piece as Buffer).length;
          }
        }),
      ),
    );
  } finally {
    await handle.close();
  }
}

export async function removeBaselineObject(s3: S3Client, bucket: string, key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
