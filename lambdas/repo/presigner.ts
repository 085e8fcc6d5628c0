/**
 * Presigned S3 PUTs for chunks. Each URL carries `If-None-Match: *` in its signature: S3 refuses to
 * overwrite an object that exists (412, which the client reads as "already there"), so a verified
 * chunk can never be replaced by other bytes. Compression is declared as signed user metadata,
 * which the tracker reads back to know whether to gunzip before hashing. An uncompressed chunk's
 * SHA-256 is signed in too (x-amz-checksum-sha256): a store that verifies it (AWS S3) refuses other
 * bytes and keeps the checksum, so the tracker need not read the chunk back (domain/tracker.ts).
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import type { Compression, PresignedPut } from '@contract/schemas';

const COMPRESSION_HEADER = `x-amz-meta-${S3_LAYOUT.compressionMetadataKey}`;
const CHECKSUM_HEADER = 'x-amz-checksum-sha256';

export class ChunkPresigner {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** A PUT of chunk `hash` into `ownerId`'s namespace. */
  presignPut(ownerId: string, hash: string, compression: Compression = 'none'): Promise<PresignedPut> {
    return this.presign(S3_LAYOUT.chunkKey(ownerId, hash), hash, compression);
  }

  /** A PUT of chunk `hash` to `uploaderId`'s staging key for `ownerId`'s namespace (domain/staged-chunks.ts). */
  presignStagedPut(ownerId: string, uploaderId: string, hash: string, compression: Compression = 'none'): Promise<PresignedPut> {
    return this.presign(S3_LAYOUT.stagedKey(ownerId, uploaderId, hash), hash, compression);
  }

  /**
   * A PUT of the pack whose bytes have SHA-256 `packHash` into `ownerId`'s namespace. Compression is
   * per blob, inside the pack (contract/pack-format.ts); the whole pack's checksum is signed in.
   */
  presignPackPut(ownerId: string, packHash: string): Promise<PresignedPut> {
    return this.presign(S3_LAYOUT.packKey(ownerId, packHash), packHash, 'none');
  }

  private async presign(key: string, hash: string, compression: Compression): Promise<PresignedPut> {
    const headers: Record<string, string> = { 'if-none-match': '*' };
    // A gzip body's checksum is not the chunk's hash (which is over the plaintext): those are read back.
    const checksum = compression === 'none' ? Buffer.from(hash, 'hex').toString('base64') : undefined;
    if (checksum !== undefined) headers[CHECKSUM_HEADER] = checksum;
    if (compression !== 'none') headers[COMPRESSION_HEADER] = compression;
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      IfNoneMatch: '*',
      ...(checksum !== undefined ? { ChecksumSHA256: checksum } : {}),
      ...(compression !== 'none' ? { Metadata: { [S3_LAYOUT.compressionMetadataKey]: compression } } : {}),
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: LIMITS.uploadUrlTtlSeconds,
      // Keep them all as signed headers (not query parameters): the client must send exactly these.
      signableHeaders: new Set(Object.keys(headers)),
      unhoistableHeaders: new Set(Object.keys(headers)),
    });
    return { hash, url, headers };
  }
}
