/**
 * Versioned data migrations, run on deploy by a CloudFormation custom resource (lambdas/migrations/,
 * lib/constructs/data-migrations.ts) and by the local runtime at start. Each migration walks the
 * whole table a page at a time; its progress is saved after every page, so a run cut short (a Lambda
 * timeout, a failed deploy) resumes where it stopped, and a page done twice is harmless because each
 * migration is idempotent. A finished migration is not run again, unless code that predates it ran
 * since (a rollback): then it is walked anew.
 *
 * CloudFormation updates the functions before the custom resource (it depends on them), but requests
 * already running on the replaced code may still write for up to the API's time limit. So the first
 * poll of each deploy only pauses: the provider framework polls again after its interval.
 */
import type { MigrationState, MigrationStates } from '@repo/migration-states';
import type { HashedItem, TableWalk, WalkCursor } from '@repo/table-walk';

export interface PageOutcome {
  readonly updated: number;
  readonly unresolved: number;
}

export interface DataMigration {
  /** Sorted by: a new migration gets a later id. */
  readonly id: string;
  migratePage(items: readonly HashedItem[]): Promise<PageOutcome>;
}

export interface RunnerDeps {
  readonly states: Pick<MigrationStates, 'get' | 'put' | 'pausedFor' | 'markPaused'>;
  readonly walk: Pick<TableWalk, 'page'>;
  readonly migrations: readonly DataMigration[];
}

/** Items read per page (a page is also how much work a crash can make run twice). */
const PAGE_ITEMS = 200;

const fresh = (id: string, now: Date): MigrationState => ({ id, status: 'running', scanned: 0, updated: 0, unresolved: 0, startedAt: now.toISOString() });

/**
 * A deploy wants `requested` applied (custom resource Create or Update): those never run, or made
 * stale, start over; an interrupted one resumes. Done ones the deploy does not know (older code is
 * being deployed, as in a rollback) become stale, so the next deploy that knows them walks again.
 */
export async function beginMigrations(deps: RunnerDeps, requested: readonly string[], now = new Date()): Promise<void> {
  for (const migration of deps.migrations) {
    const state = await deps.states.get(migration.id);
    if (!requested.includes(migration.id)) {
      if (state?.status === 'done') await deps.states.put({ ...state, status: 'stale' });
      continue;
    }
    if (state === undefined || state.status === 'stale') await deps.states.put(fresh(migration.id, now));
  }
}

/** The custom resource is deleted (the stack, or a rolled-back create): finished work may be undone by older code. */
export async function forgetMigrations(deps: RunnerDeps): Promise<void> {
  for (const migration of deps.migrations) {
    const state = await deps.states.get(migration.id);
    if (state?.status === 'done') await deps.states.put({ ...state, status: 'stale' });
  }
}

/**
 * One poll of deploy request `requestId`: migrates while `remainingMs()` leaves `reserveMs`, saving
 * progress after each page. True once every begun migration is done.
 */
export async function advanceMigrations(deps: RunnerDeps, requestId: string, remainingMs: () => number, reserveMs: number, now = () => new Date()): Promise<boolean> {
  if ((await deps.states.pausedFor()) !== requestId) {
    await deps.states.markPaused(requestId);
    return false;
  }
  for (const migration of deps.migrations) {
    let state = await deps.states.get(migration.id);
    while (state?.status === 'running') {
      if (remainingMs() < reserveMs) return false;
      state = await migratePage(deps, migration, state, now());
    }
  }
  return true;
}

async function migratePage(deps: RunnerDeps, migration: DataMigration, state: MigrationState, now: Date): Promise<MigrationState> {
  const page = await deps.walk.page(PAGE_ITEMS, state.cursor as WalkCursor | undefined);
  const outcome = await migration.migratePage(page.items);
  const { cursor: _done, ...rest } = state;
  const next: MigrationState = {
    ...rest,
    scanned: state.scanned + page.scanned,
    updated: state.updated + outcome.updated,
    unresolved: state.unresolved + outcome.unresolved,
    ...(page.cursor ? { cursor: page.cursor } : { status: 'done', doneAt: now.toISOString() }),
  };
  await deps.states.put(next);
  return next;
}
