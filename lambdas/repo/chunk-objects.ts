/**
 * The chunk objects themselves, as the tracker sees them: ask the store what it vouches for, read one
 * exact version, delete one exact version, and copy a verified staged version to a chunk key that must be free.
 */
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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
  /** The version read (absent where the store keeps no versions). */
  readonly versionId?: string;
}

/** What the store itself verified about an object when it was written. */
export interface VouchedChunk {
  /** SHA-256 (hex) of the stored bytes, checked by the store against the PUT's x-amz-checksum-sha256. */
  readonly sha256: string;
  readonly storedSize: number;
  readonly compression: string | undefined;
  readonly versionId?: string;
}

const GONE = new Set(['NoSuchKey', 'NoSuchVersion', 'NotFound']);
const isGone = (error: unknown) => GONE.has((error as Error).name);
const isPreconditionFailed = (error: unknown) =>
  (error as Error).name === 'PreconditionFailed' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412;

export class ChunkObjects {
  /** `verifiesChecksums`: the store checks a PUT's x-amz-checksum-sha256 itself (AWS S3), so its stored checksum can be trusted. */
  constructor(
    private readonly s3: S3Client,
    private readonly verifiesChecksums = false,
  ) {}

  /**
   * The store's own word on the object, without reading it: its SHA-256 as verified when written.
   * Undefined where the store verifies no checksums (nothing is asked: a store that merely echoes the
   * header would vouch for anything) or kept no full-object SHA-256 for this version; 'gone' when
   * that key or version no longer exists.
   */
  async vouched(ref: ObjectRef): Promise<VouchedChunk | 'gone' | undefined> {
    if (!this.verifiesChecksums) return undefined;
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId, ChecksumMode: 'ENABLED' }));
      // A multipart object's checksum is of its parts ("...-N"); chunks are single PUTs, anything else is read.
      if (out.ChecksumSHA256 === undefined || out.ChecksumType === 'COMPOSITE') return undefined;
      return {
        sha256: Buffer.from(out.ChecksumSHA256, 'base64').toString('hex'),
        storedSize: out.ContentLength ?? 0,
        compression: out.Metadata?.[S3_LAYOUT.compressionMetadataKey],
        ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}),
      };
    } catch (error) {
      if (isGone(error)) return 'gone';
      throw error;
    }
  }

  /** The object's bytes and metadata, or undefined when that key or version no longer exists. */
  async open(ref: ObjectRef): Promise<OpenedChunk | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
      return {
        body: out.Body as Readable,
        storedSize: out.ContentLength ?? 0,
        compression: out.Metadata?.[S3_LAYOUT.compressionMetadataKey],
        ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}),
      };
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  /** Deletes exactly the version that was checked, never a good version uploaded since; one already gone is fine. */
  async remove(ref: ObjectRef): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }

  /**
   * Copies `source` (that exact version, metadata included) to `key` of the same bucket, only while
   * nothing is stored there (If-None-Match): the version created, or 'taken' when the key holds an
   * object already, which is then left as it is.
   */
  async copyIfAbsent(source: ObjectRef, key: string): Promise<{ readonly versionId?: string } | 'taken'> {
    const from = `${source.bucket}/${source.key.split('/').map(encodeURIComponent).join('/')}`;
    try {
      const out = await this.s3.send(
        new CopyObjectCommand({
          Bucket: source.bucket,
          Key: key,
          CopySource: source.versionId === undefined ? from : `${from}?versionId=${encodeURIComponent(source.versionId)}`,
          IfNoneMatch: '*',
          MetadataDirective: 'COPY',
        }),
      );
      return out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {};
    } catch (error) {
      if (isPreconditionFailed(error)) return 'taken';
      throw error;
    }
  }
}
