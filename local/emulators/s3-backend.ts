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
  /** Called on every start once a bucket exists, for implementations that switch notifications on per bucket. */
  watchBucket?(bucket: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts an S3 implementation keeping its objects in `dataDir` (the runtime holds it exclusively). */
export type S3BackendFactory = (opts: { readonly dataDir: string; readonly port: number }) => Promise<S3Backend>;
