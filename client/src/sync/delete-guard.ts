/**
 * The mass-delete guard. When a pass would delete remotely a large share of the folder's synced
 * files at once (a disk that came back empty, a tool that cleared the folder, `rm -rf` in the wrong
 * place), those deletes are held and the folder waits for its user (`tote status` says so):
 * `tote sync <folder> --allow-deletes` lets them go ahead, `--restore-deletes` brings the files back
 * here instead. Everything else in the pass goes on. Pure: the engine keeps the held set in the
 * folder's state (state/sync-selection.ts).
 */
import type { Operation } from './operations';

export interface DeleteGuardLimits {
  /** Deletes are held only from this many in one pass ... */
  readonly minFiles: number;
  /** ... and only when they are at least this share of the synced files. */
  readonly fraction: number;
}

export const DEFAULT_DELETE_GUARD: DeleteGuardLimits = { minFiles: 50, fraction: 0.5 };

export interface HeldRemoteDelete {
  readonly fileId: string;
  readonly rel: string;
}

export interface GuardedPlan {
  readonly run: Operation[];
  readonly held: HeldRemoteDelete[];
}

type RemoteDelete = Extract<Operation, { type: 'delete'; side: 'remote' }>;

const isRemoteDelete = (op: Operation): op is RemoteDelete => op.type === 'delete' && op.side === 'remote';

/** Splits a plan's operations into those that run and the remote deletes held; `allowed` are file ids the user let go. */
export function guardDeletes(operations: readonly Operation[], syncedCount: number, allowed: ReadonlySet<string>, limits: DeleteGuardLimits = DEFAULT_DELETE_GUARD): GuardedPlan {
  const pending = operations.filter(isRemoteDelete).filter((op) => !allowed.has(op.fileId));
  if (pending.length < limits.minFiles || pending.length < limits.fraction * syncedCount) return { run: [...operations], held: [] };
  const held = new Set<Operation>(pending);
  return { run: operations.filter((op) => !held.has(op)), held: pending.map((op) => ({ fileId: op.fileId, rel: op.rel })) };
}
