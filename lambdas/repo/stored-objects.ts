/**
 * The collector's view of the bucket: every version of a key, deleted by version id. Deleting by version id removes bytes for good (no delete marker)
 * and spares any version written after the listing: a PUT that lands while the collector works
 * survives it.
 */
import { DeleteObjectCommand, DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

/** DeleteObjects' per-call maximum. */
const DELETE_BATCH = 1_000;

export class StoredObjects {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * Deletes every version and delete marker the key has now; answers the bytes freed. An S3 without
   * versioning (s3rver, `npm start`'s default) holds one version: the key itself is deleted.
   */
  async deleteEveryVersion(key: string): Promise<number> {
    const versions = await this.versionsOf(key);
    if (versions === undefined) {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      return 0;
    }
    for (let i = 0; i < versions.length; i += DELETE_BATCH) {
      const batch = versions.slice(i, i + DELETE_BATCH);
      const out = await this.s3.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((v) => ({ Key: key, VersionId: v.versionId })), Quiet: true } }),
      );
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchVersion' && e.Code !== 'NoSuchKey');
      if (failed.length > 0) throw new Error(`could not delete ${failed.length} version(s) of ${key}: ${failed[0].Code} ${failed[0].Message}`);
    }
    return versions.reduce((sum, v) => sum + v.size, 0);
  }

  /** The key's versions and delete markers, or undefined where the store does not keep versions. */
  private async versionsOf(key: string): Promise<{ versionId: string; size: number }[] | undefined> {
    const found: { versionId: string; size: number }[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    try {
      do {
        const out = await this.s3.send(
          new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
        );
        for (const v of out.Versions ?? []) if (v.Key === key && v.VersionId) found.push({ versionId: v.VersionId, size: v.Size ?? 0 });
        for (const m of out.DeleteMarkers ?? []) if (m.Key === key && m.VersionId) found.push({ versionId: m.VersionId, size: 0 });
        keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
        versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
      } while (keyMarker !== undefined);
    } catch (error) {
      if ((error as Error).name === 'NotImplemented') return undefined;
      throw error;
    }
    return found;
  }
}
