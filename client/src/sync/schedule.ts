/**
 * Runs a plan's operations in parallel where they cannot affect each other, in ordered phases (the
 * way Syncthing's puller orders its work):
 *   1. `arrange`: local moves and deletes, remote moves and bookkeeping: cheap, and they free the
 *      places the transfers fill;
 *   2. `transfer`: uploads and downloads;
 *   3. `delete`: remote deletes, last, so a transfer that fails never follows a delete it depended on.
 * A phase starts once the one before it has finished. Within a phase, two operations depend on each
 * other when they touch one path key (keys are case- and Unicode-folded, so names that collide on a
 * case-insensitive disk count as one), a path and one of its parent folders, or one file id (a
 * move's source and destination are both its paths). A dependent runs after the operations it
 * depends on, in plan order, and only when they were done: one skipped or failed leaves it to the
 * next pass, which plans again from what is there then.
 *
 * Every operation still re-checks its own preconditions right before acting (executor.ts): the
 * schedule only decides what may overlap, never what is safe to do.
 */
import pLimit from 'p-limit';
import type { Operation } from './operations';
import { relKey } from './paths';

export const PHASES = ['arrange', 'transfer', 'delete'] as const;
export type Phase = (typeof PHASES)[number];

export type Outcome = 'done' | 'skipped' | 'failed';

export function phaseOf(op: Operation): Phase {
  if (op.side === 'remote' && op.type === 'delete') return 'delete';
  if (op.type === 'add' || op.type === 'edit') return 'transfer';
  return 'arrange';
}

/** The path keys and file ids an operation touches: two operations sharing one (or a path and its parent folder) must not overlap. */
export function footprint(op: Operation): { keys: string[]; fileIds: string[] } {
  const paths: string[] = [];
  const fileIds: string[] = [];
  const id = (fileId: string | undefined) => fileId !== undefined && fileIds.push(fileId);
  switch (op.type) {
    case 'move':
      paths.push(op.from, op.to);
      if (op.side === 'remote') id(op.fileId);
      else id(op.forget), id(op.record?.fileId);
      break;
    case 'moveFolder':
      // Its two folders: everything under either waits for it (a path and its parent folder depend).
      paths.push(op.from, op.to);
      op.files.forEach((f) => id(f.fileId));
      break;
    case 'record':
      paths.push(op.record.rel);
      id(op.record.fileId);
      break;
    case 'forget':
      id(op.fileId);
      break;
    default:
      paths.push(op.rel);
      if (op.side === 'remote') id(op.type === 'add' ? op.replaces : op.fileId);
      else id(op.type === 'delete' ? op.fileId : op.file.fileId);
  }
  return { keys: paths.map(relKey), fileIds };
}

export interface ScheduledOperation {
  readonly op: Operation;
  readonly phase: Phase;
  /** Indexes (into the schedule) of the operations this one waits for; always smaller than its own. */
  readonly after: readonly number[];
}

/**
 * The plan ordered by phase (plan order kept within a phase), each operation with what it waits for.
 * Linear in the operations times the depth of their paths: each one waits for the last one before it
 * on each of its keys and each parent folder of them, and for those below a key of its own that came
 * after the last one on that key (the chain through that one covers the earlier ones).
 */
export function schedule(operations: readonly Operation[]): ScheduledOperation[] {
  const ordered = PHASES.flatMap((phase) => operations.filter((op) => phaseOf(op) === phase));
  const lastOnKey = new Map<string, number>();
  const lastOnFile = new Map<string, number>();
  const below = new Map<string, number[]>();
  return ordered.map((op, index) => {
    const after = new Set<number>();
    const { keys, fileIds } = footprint(op);
    for (const fileId of fileIds) {
      const last = lastOnFile.get(fileId);
      if (last !== undefined) after.add(last);
      lastOnFile.set(fileId, index);
    }
    for (const key of keys) {
      const last = lastOnKey.get(key);
      if (last !== undefined) after.add(last);
      for (const i of below.get(key) ?? []) after.add(i);
      for (const parent of parentsOf(key)) {
        const onParent = lastOnKey.get(parent);
        if (onParent !== undefined) after.add(onParent);
      }
    }
    for (const key of keys) {
      lastOnKey.set(key, index);
      below.delete(key);
      for (const parent of parentsOf(key)) {
        const list = below.get(parent);
        if (list) list.push(index);
        else below.set(parent, [index]);
      }
    }
    after.delete(index);
    return { op, phase: phaseOf(op), after: [...after].sort((a, b) => a - b) };
  });
}

function parentsOf(key: string): string[] {
  const parents: string[] = [];
  for (let at = key.lastIndexOf('/'); at > 0; at = key.lastIndexOf('/', at - 1)) parents.push(key.slice(0, at));
  return parents;
}

export interface RunOptions {
  /** Operations in flight at once. */
  readonly concurrency: number;
  /** Carries out one operation; throwing stops the run (no new operation starts) and is thrown once those running have ended. */
  run(op: Operation): Promise<Outcome>;
  /**
   * Operations that saturate the link on their own (a large file's chunks already go in parallel):
   * at most one of them runs at a time, so memory and bandwidth stay those of one big transfer.
   */
  readonly heavy?: (op: Operation) => boolean;
  /**
   * Operations whose transfer goes in a batch with others (batched-transfers.ts): they mostly wait
   * for their batch, so up to `concurrency` of them run at once besides the others, enough to fill
   * a batch while the one before it commits.
   */
  readonly batched?: { readonly is: (op: Operation) => boolean; readonly concurrency: number };
  /** Checked before each operation starts: false stops the run the same way (the engine was closed). */
  readonly going?: () => boolean;
}

/** Runs the schedule; answers each operation's outcome, in schedule order ('skipped' for those not run: a dependency not done, or the run stopped). */
export async function runSchedule(scheduled: readonly ScheduledOperation[], options: RunOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = scheduled.map(() => 'skipped');
  const finished: Promise<void>[] = [];
  const slots = pLimit(options.concurrency);
  const heavySlot = pLimit(1);
  const batchSlots = pLimit(options.batched?.concurrency ?? 1);
  let stopped: { error: unknown } | undefined;
  let phaseDone: Promise<unknown> = Promise.resolve();
  for (const phase of PHASES) {
    const inPhase: Promise<void>[] = [];
    const barrier = phaseDone;
    for (const [index, s] of scheduled.entries()) {
      if (s.phase !== phase) continue;
      const ready = Promise.all([barrier, ...s.after.map((i) => finished[i])]);
      const done = ready.then(async () => {
        if (stopped || s.after.some((i) => outcomes[i] !== 'done')) return;
        const slot = options.heavy?.(s.op) ? (work: () => Promise<void>) => heavySlot(() => slots(work)) : options.batched?.is(s.op) ? batchSlots : slots;
        await slot(async () => {
          if (stopped || (options.going && !options.going())) return;
          try {
            outcomes[index] = await options.run(s.op);
          } catch (error) {
            stopped ??= { error };
          }
        });
      });
      finished[index] = done;
      inPhase.push(done);
    }
    // Chained: a phase with nothing in it still waits for the ones before.
    phaseDone = Promise.all([barrier, ...inPhase]);
  }
  await phaseDone;
  if (stopped) throw stopped.error;
  return outcomes;
}
