/**
 * Where object-created notices come from. s3rver announces them in-process; a real S3 implementation
 * plugged in later (Ceph radosgw topics) pushes them over HTTP. Either one feeds the same dispatcher,
 * which turns notices into S3-shaped event records for the functions the template subscribes.
 */
export interface ObjectCreated {
  readonly eventName: `ObjectCreated:${string}`;
  readonly eventTime: string;
  readonly bucket: string;
  /** The object key as stored (not URL-encoded). */
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  readonly versionId?: string;
  /** Orders events for one key, as S3's sequencer does: a hex string, later events compare greater. */
  readonly sequencer: string;
  readonly sourceIp: string;
}

export type ObjectCreatedListener = (notice: ObjectCreated) => void;

export interface NotificationSource {
  /** Returns the unsubscribe function. */
  subscribe(listener: ObjectCreatedListener): () => void;
}

/** A NotificationSource fed by whoever holds `publish`: the adapter of an emulator's own mechanism. */
export function createNotificationHub(): NotificationSource & { publish(notice: ObjectCreated): void } {
  const listeners = new Set<ObjectCreatedListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(notice) {
      for (const listener of listeners) listener(notice);
    },
  };
}
