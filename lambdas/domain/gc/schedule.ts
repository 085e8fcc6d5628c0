/**
 * The collector's scheduled run: finish (a budget of) the one-time migration, then start the
 * per-namespace collection of every namespace, or of those the event names (an on-demand run, e.g. a
 * test's or an operator's: `detail.namespaces`). The time of the run is the event's `time`.
 */
import pLimit from 'p-limit';
import { validationFailed } from '@shared/errors';
import type { NamespaceJob } from '@repo/namespace-workers';
import { migrate, type MigrationDeps, type MigrationProgress } from './migration';

export interface ScheduleDeps extends MigrationDeps {
  readonly workers: { start(job: NamespaceJob): Promise<void> };
}

/** What the schedule (EventBridge) or an operator sends; only these fields are read. */
export interface CollectorEvent {
  readonly time?: unknown;
  readonly detail?: { readonly namespaces?: unknown };
}

export interface ScheduleSummary {
  readonly time: string;
  readonly migration: MigrationProgress;
  readonly namespacesStarted: number;
}

/** How long a run may spend on the migration before it starts the namespaces (Lambda allows 15 min). */
const MIGRATION_BUDGET_MS = 8 * 60_000;
const STARTS_AT_ONCE = 16;
const OWNER_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The run's time and the namespaces it is limited to, from the event; a malformed one is refused. */
export function parseCollectorEvent(event: CollectorEvent): { time: Date; namespaces?: string[] } {
  const time = typeof event.time === 'string' ? new Date(event.time) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) throw validationFailed('the event needs `time`, an ISO date-time');
  const named = event.detail?.namespaces;
  if (named === undefined) return { time };
  if (!Array.isArray(named) || !named.every((n): n is string => typeof n === 'string' && OWNER_ID.test(n))) {
    throw validationFailed('detail.namespaces must be a list of owner ids');
  }
  return { time, namespaces: named };
}

/** The per-namespace function's event, checked. */
export function parseNamespaceJob(event: { readonly ownerId?: unknown; readonly time?: unknown }): { ownerId: string; time: Date } {
  const { time } = parseCollectorEvent({ time: event.time });
  if (typeof event.ownerId !== 'string' || !OWNER_ID.test(event.ownerId)) throw validationFailed('the event needs `ownerId`, an owner id');
  return { ownerId: event.ownerId, time };
}

/** "Now" for a run that started at `time` (the event's), advancing with the time spent since. */
export function runClock(time: Date, started = Date.now()): () => Date {
  return () => new Date(time.getTime() + (Date.now() - started));
}

export async function runSchedule(deps: ScheduleDeps, event: CollectorEvent, clock: () => number = Date.now): Promise<ScheduleSummary> {
  const { time, namespaces } = parseCollectorEvent(event);
  const migration = await migrate(deps, time, clock() + MIGRATION_BUDGET_MS, clock);
  const limit = pLimit(STARTS_AT_ONCE);
  let started = 0;
  const startAll = async (owners: readonly string[]) => {
    await Promise.all(owners.map((ownerId) => limit(() => deps.workers.start({ ownerId, time: time.toISOString() }))));
    started += owners.length;
  };
  if (namespaces !== undefined) await startAll(namespaces);
  else for await (const page of deps.namespaces.all()) await startAll(page);
  return { time: time.toISOString(), migration, namespacesStarted: started };
}
