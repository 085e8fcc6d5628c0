/**
 * Runs a pass's operations: in parallel phases (schedule.ts), each carried out by the executor, and
 * its outcome told as events and kept where `tote status` reads it (the folder's failures by path).
 * An error that concerns every operation (the network, the session) stops the run and is thrown.
 */
import { LIMITS } from '@contract/limits';
import { isGlobalError, toToteError, type ToteError } from '../core/errors';
import type { EventSink } from '../events';
import { BATCH_FILE_MAX_BYTES } from '../core/transfer/upload-batch';
import { batched, execute, transferSize, type ExecutorContext } from './executor';
import { describe, type Operation } from './operations';
import { runSchedule, schedule, type Outcome } from './schedule';

/**
 * Operations in flight at once. Small files cost round trips, not bandwidth: 16 keeps the link busy
 * through their latency (as the plain S3 baseline's 16 in flight); a large file runs alone (schedule.ts).
 */
const SYNC_CONCURRENCY = 16;
/**
 * Operations whose transfer goes in a batch, in flight at once besides those: they mostly wait for
 * their batch, and two batches' worth keep one filling while the one before it commits.
 */
const BATCHED_CONCURRENCY = 2 * LIMITS.batchMaxFiles;

export interface PlanRun {
  /** The synced folder, as events name it. */
  readonly root: string;
  readonly executor: ExecutorContext;
  /** Files whose last operation failed, with why: cleared for those that go through. */
  readonly failures: Map<string, ToteError>;
  readonly emit: EventSink;
  /** False once the engine is closed: no further operation starts. */
  readonly going: () => boolean;
}

/** Each operation's outcome, in schedule order. */
export function runPlan(run: PlanRun, operations: readonly Operation[]): Promise<Outcome[]> {
  return runSchedule(schedule(operations), {
    concurrency: SYNC_CONCURRENCY,
    run: (op) => apply(run, op),
    heavy: (op) => transferSize(op) > BATCH_FILE_MAX_BYTES,
    batched: { is: (op) => batched(run.executor, op), concurrency: BATCHED_CONCURRENCY },
    going: run.going,
  });
}

async function apply(run: PlanRun, op: Operation): Promise<Outcome> {
  const { root, emit } = run;
  const path = describe(op);
  try {
    const outcome = await execute(run.executor, op);
    run.failures.delete(path);
    emit({ type: 'sync.op', root, op: op.type, side: op.side, path, outcome });
    if (outcome === 'done' && op.type === 'move' && op.side === 'local' && op.reason !== 'remote') {
      emit({ type: 'sync.conflict', root, path: op.from, copy: op.to, reason: op.reason });
    }
    return outcome;
  } catch (thrown) {
    const error = toToteError(thrown);
    if (isGlobalError(error)) throw error;
    run.failures.set(path, error);
    emit({ type: 'sync.error', root, path, code: error.code, message: error.message, retryInMs: 0 });
    return 'failed';
  }
}
