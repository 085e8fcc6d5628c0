/**
 * Delivers object-created notices to the functions the template subscribes, one S3 event per record
 * as S3 sends them, asynchronously with Lambda's retry semantics.
 */
import type { EventSink } from '../host/events';
import { invokeAsync } from '../lambda/async-invoke';
import type { FunctionPool } from '../lambda/function-pool';
import type { NotificationModel } from '../template/notifications-model';
import { configurationIdFor, s3EventRecord } from './records';
import type { NotificationSource, ObjectCreated } from './source';

export interface DispatcherOptions {
  readonly subscriptions: readonly NotificationModel[];
  readonly pools: ReadonlyMap<string, FunctionPool>;
  readonly retryDelaysMs: readonly number[];
  readonly emit: EventSink;
}

export function matches(subscription: NotificationModel, notice: ObjectCreated): boolean {
  if (notice.bucket !== subscription.bucket) return false;
  if (!notice.key.startsWith(subscription.prefix) || !notice.key.endsWith(subscription.suffix)) return false;
  const eventType = `s3:${notice.eventName}`;
  return subscription.events.some((pattern) =>
    pattern.endsWith(':*') ? eventType.startsWith(pattern.slice(0, -1)) : pattern === eventType,
  );
}

/** Subscribes to the source; the returned function stops delivery and drops pending retries. */
export function startDispatcher(source: NotificationSource, opts: DispatcherOptions): () => void {
  const stopping = new AbortController();
  const unsubscribe = source.subscribe((notice) => {
    for (const subscription of opts.subscriptions) {
      if (!matches(subscription, notice)) continue;
      const pool = opts.pools.get(subscription.function.logicalId);
      if (!pool) continue;
      const configurationId = configurationIdFor([subscription.bucket, subscription.function.name, subscription.prefix, subscription.suffix]);
      void invokeAsync(pool, { Records: [s3EventRecord(notice, configurationId)] }, {
        retries: subscription.function.asyncRetries,
        delaysMs: opts.retryDelaysMs,
        signal: stopping.signal,
        onFailure: (failure, attempts) =>
          opts.emit({
            type: 'warning',
            message: `${subscription.function.name} failed on s3://${notice.bucket}/${notice.key} after ${attempts} attempts: ${failure.errorType}: ${failure.errorMessage}`,
          }),
      });
    }
  });
  return () => {
    unsubscribe();
    stopping.abort();
  };
}
