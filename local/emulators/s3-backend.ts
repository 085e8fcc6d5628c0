import type { NotificationSource } from '../notifications/source';

/**
 * What the runtime needs from an S3 implementation: an endpoint the SDK talks to (path-style), the key
 * it accepts, and a source of object-created notices. Everything else goes through the SDK, so
 * swapping s3rver for another implementation (radosgw: local/ceph/backend.ts) means writing one more of these.
 */
export interface S3Backend {
  readonly name: string;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly notifications: NotificationSource;
  /** Whether buckets can be versioned. s3rver's cannot: its objects have no version ids, nor do its events. */
  readonly versioning: boolean;
  /** Called on every start once a bucket exists, for implementations that switch notifications on per bucket. */
  watchBucket?(bucket: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts an S3 implementation keeping its objects in `dataDir` (the runtime holds it exclusively). */
export type S3BackendFactory = (opts: { readonly dataDir: string; readonly port: number }) => Promise<S3Backend>;

/**
 * The S3 implementations the runtime can serve: s3rver (npm, in-process, starts at once; the default)
 * or radosgw (Ceph's production S3, which checks signatures, expiry and CORS as AWS does; needs the
 * Ceph packages, see local/ceph/installed.ts).
 */
export const S3_BACKENDS = ['s3rver', 'radosgw'] as const;
export type S3BackendName = (typeof S3_BACKENDS)[number];
export const S3_BACKEND_ENV = 'TOTE_LOCAL_S3';

/** TOTE_LOCAL_S3, default s3rver; an unknown name throws naming the choices. */
export function s3BackendFromEnv(env: NodeJS.ProcessEnv): S3BackendName {
  const raw = env[S3_BACKEND_ENV] || 's3rver';
  if (!(S3_BACKENDS as readonly string[]).includes(raw)) {
    throw new Error(`${S3_BACKEND_ENV}=${raw} is not an S3 implementation the runtime knows (${S3_BACKENDS.join(', ')})`);
  }
  return raw as S3BackendName;
}
