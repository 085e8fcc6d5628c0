import type { NotificationSource } from '../notifications/source';

/**
 * What the runtime needs from an S3 implementation: an endpoint the SDK talks to (path-style), the key
 * it accepts, and a source of object-created notices. Everything else goes through the SDK, so
 * swapping s3rver for another implementation means writing one more of these.
 */
export interface S3Backend {
  readonly name: string;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly notifications: NotificationSource;
  stop(): Promise<void>;
}
