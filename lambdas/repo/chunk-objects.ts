/** The chunk objects themselves, as the tracker sees them: read one exact version, delete one exact version. */
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { S3_LAYOUT } from '@contract/limits';

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  /** Absent on unversioned buckets (and some emulators). */
  readonly versionId?: string;
}

export interface OpenedChunk {
  readonly body: Readable;
  readonly storedSize: number;
  /** The compression the uploader declared in signed metadata; undefined means none. */
  readonly compression: string | undefined;
}

const GONE = new Set(['NoSuchKey', 'NoSuchVersion', 'NotFound']);

export class ChunkObjects {
  constructor(private readonly s3: S3Client) {}

  /** The object's bytes and metadata, or undefined when that key or version no longer exists. */
  async open(ref: ObjectRef): Promise<OpenedChunk | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
      return {
        body: out.Body as Readable,
        storedSize: out.ContentLength ?? 0,
        compression: out.Metadata?.[S3_LAYOUT.compressionMetadataKey],
      };
    } catch (error) {
      if (GONE.has((error as Error).name)) return undefined;
      throw error;
    }
  }

  /** Deletes exactly the version that was checked, never a good version uploaded since. */
  async remove(ref: ObjectRef): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
  }
}
