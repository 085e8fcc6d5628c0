/**
 * The chunk collector and the bucket, as tests of the local runtime see them: run the scheduled rules
 * now with any time as "now", limited to a namespace (POST /schedules/run on the runtime's Lambda
 * endpoint), and count a namespace's bytes in S3 the way a bill would: every version of every chunk
 * and manifest object.
 */
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3_LAYOUT } from '@contract/limits';
import type { LocalRuntimeInfo } from '../../harness/runtime-process';
import type { Target } from '../../harness/target';

/** The target's local runtime; the collector's on-demand runs and the bucket need it. */
export function localRuntime(target: Target): LocalRuntimeInfo {
  if (!target.local) throw new Error('this test needs the local runtime (its Lambda endpoint and bucket)');
  return target.local;
}

export interface CollectorRun {
  readonly time: string;
  readonly runs: { rule: string; function: string; result: { ok: boolean; payload?: unknown; errorMessage?: string } }[];
}

/** Runs the collector for `ownerId` as if it were `time`, and waits until its namespace run ended. */
export async function runCollector(target: Target, ownerId: string, time: Date): Promise<CollectorRun> {
  const res = await fetch(`${localRuntime(target).lambdaEndpoint}/schedules/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time: time.toISOString(), detail: { namespaces: [ownerId] } }),
  });
  const body = (await res.json()) as CollectorRun;
  if (res.status !== 200 || body.runs.length === 0 || !body.runs.every((r) => r.result.ok)) {
    throw new Error(`the collector run failed: ${res.status} ${JSON.stringify(body)}`);
  }
  return body;
}

export interface NamespaceBytes {
  readonly chunks: number;
  readonly manifests: number;
  /** Versions and delete markers counted. */
  readonly objects: number;
}

/** Every version and delete marker under a prefix: bytes, count, and `key versionId` of each. */
export async function versionsUnder(s3: S3Client, bucket: string, prefix: string): Promise<{ bytes: number; objects: number; keys: string[] }> {
  let bytes = 0;
  const keys: string[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
    for (const v of out.Versions ?? []) bytes += v.Size ?? 0;
    keys.push(...[...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => `${v.Key} ${v.VersionId}`));
    keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
    versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  return { bytes, objects: keys.length, keys };
}

/** The namespace's chunk, pack, manifest and staging prefixes in the bucket. */
export const namespacePrefixes = (ownerId: string) => ({
  chunks: S3_LAYOUT.chunkKey(ownerId, ''),
  packs: S3_LAYOUT.packKey(ownerId, ''),
  manifests: `${S3_LAYOUT.manifestPrefix}${ownerId}/`,
  staging: `${S3_LAYOUT.stagingPrefix}${ownerId}/`,
});

/** Bytes a namespace holds in the chunk bucket: every version of every object under its prefixes. */
export async function namespaceBytes(target: Target, ownerId: string): Promise<NamespaceBytes> {
  const local = localRuntime(target);
  const s3 = new S3Client({ endpoint: local.s3Endpoint, region: local.region, credentials: local.s3Credentials, forcePathStyle: true });
  try {
    const prefixes = namespacePrefixes(ownerId);
    const [chunks, manifests] = await Promise.all([versionsUnder(s3, local.bucketName, prefixes.chunks), versionsUnder(s3, local.bucketName, prefixes.manifests)]);
    return { chunks: chunks.bytes, manifests: manifests.bytes, objects: chunks.objects + manifests.objects };
  } finally {
    s3.destroy();
  }
}
