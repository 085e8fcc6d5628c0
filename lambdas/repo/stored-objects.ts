/**
 * The collector's view of the bucket: every version of a key, or the old versions under a prefix,
 * deleted by version id. Deleting by version id removes bytes for good (no delete marker) and spares
 * any version written after the listing: a PUT that lands while the collector works survives it.
 */
import { DeleteObjectCommand, DeleteObjectsCommand, ListObjectVersionsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

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
    const versions = (await this.versionsUnder(key))?.filter((v) => v.key === key);
    if (versions === undefined) {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      return 0;
    }
    await this.deleteVersions(versions);
    return versions.reduce((sum, v) => sum + v.size, 0);
  }

  /**
   * Deletes every version and delete marker under `prefix` written before `before` (the store's own
   * LastModified) whose key `may` allows; answers how many went and the bytes freed. Without
   * versioning, the keys themselves.
   */
  async deleteOlderUnder(prefix: string, before: Date, may: (key: string) => boolean): Promise<{ objects: number; bytes: number }> {
    const listed = (await this.versionsUnder(prefix)) ?? (await this.keysUnder(prefix));
    const old = listed.filter((v) => v.lastModified < before && may(v.key));
    await this.deleteVersions(old);
    return { objects: old.length, bytes: old.reduce((sum, v) => sum + v.size, 0) };
  }

  private async deleteVersions(versions: readonly StoredVersion[]): Promise<void> {
    for (let i = 0; i < versions.length; i += DELETE_BATCH) {
      const batch = versions.slice(i, i + DELETE_BATCH);
      const out = await this.s3.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((v) => ({ Key: v.key, VersionId: v.versionId })), Quiet: true } }),
      );
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchVersion' && e.Code !== 'NoSuchKey');
      if (failed.length > 0) throw new Error(`could not delete ${failed.length} version(s) of ${failed[0].Key}: ${failed[0].Code} ${failed[0].Message}`);
    }
  }

  /** The versions and delete markers under `prefix`, or undefined where the store does not keep versions. */
  private async versionsUnder(prefix: string): Promise<StoredVersion[] | undefined> {
    const found: StoredVersion[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    try {
      do {
        const out = await this.s3.send(
          new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
        );
        for (const v of out.Versions ?? []) if (v.Key && v.VersionId) found.push({ key: v.Key, versionId: v.VersionId, size: v.Size ?? 0, lastModified: v.LastModified ?? new Date(0) });
        for (const m of out.DeleteMarkers ?? []) if (m.Key && m.VersionId) found.push({ key: m.Key, versionId: m.VersionId, size: 0, lastModified: m.LastModified ?? new Date(0) });
        keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
        versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
      } while (keyMarker !== undefined);
    } catch (error) {
      if ((error as Error).name === 'NotImplemented') return undefined;
      throw error;
    }
    return found;
  }

  /** The objects under `prefix` of a store without versions. */
  private async keysUnder(prefix: string): Promise<StoredVersion[]> {
    const found: StoredVersion[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of out.Contents ?? []) if (o.Key) found.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token !== undefined);
    return found;
  }
}

interface StoredVersion {
  readonly key: string;
  /** Absent where the store keeps no versions. */
  readonly versionId?: string;
  readonly size: number;
  readonly lastModified: Date;
}
