/**
 * Batched requests work to a time budget (the handler makes it: shared/time-budget.ts): they start
 * units of work (a file to sign, a pass of session writes, a commit transaction) while there is time,
 * and answer the files of units never started BATCH_DEFERRED, for the client to ask for again. A unit
 * is whole or untouched, never half done. The request's first unit always starts, so every request
 * gets something done and asking again always makes progress.
 */
import pLimit from 'p-limit';

/** Whether there is still time to start another unit of work. */
export type InTime = () => boolean;

/** No budget: everything is started (callers outside a request, and tests of other things). */
export const noDeadline: InTime = () => true;

/** One request's budget, shared by its stages of work: once it says no, it says no for good. */
export class WorkBudget {
  private started = false;
  private late = false;

  constructor(private readonly inTime: InTime) {}

  /** Whether the next unit may start: the request's first always does, later ones while in time. */
  mayStart(): boolean {
    if (!this.started) {
      this.started = true;
      return true;
    }
    this.late ||= !this.inTime();
    return !this.late;
  }
}

/**
 * Runs `work` on each unit, in order, up to `parallel` at once, starting each only while the budget
 * allows: the units left out are always the last ones. Answers each unit's result in order, undefined
 * for those never started.
 */
export async function withinBudget<U, R>(
  units: readonly U[],
  budget: WorkBudget | InTime,
  work: (unit: U, index: number) => Promise<R>,
  parallel = 1,
): Promise<(R | undefined)[]> {
  const request = budget instanceof WorkBudget ? budget : new WorkBudget(budget);
  const limit = pLimit(parallel);
  return Promise.all(units.map((unit, i) => limit(async () => (request.mayStart() ? work(unit, i) : undefined))));
}
