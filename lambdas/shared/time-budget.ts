/**
 * How long a request may keep working before it must answer: API Gateway cuts a Lambda integration
 * at 29 s (the functions' timeout), and a batch that outlives it answers nothing at all. The budget is
 * the invocation's remaining time (the local runtime's context says the same as Lambda's) less a
 * reserve for answering; BATCH_BUDGET_MS, where set, caps it (the local runtime passes it on, so tests
 * can force a tiny budget through the real handlers).
 */
import type { Context } from 'aws-lambda';
import { ENV } from '@contract/env';
import type { InTime } from '@domain/budget';
import { optionalEnv } from './config';

/**
 * Time kept back by the upload batches: a unit of work started just before the budget ends (a session
 * write pass, a commit transaction: a few seconds on a loaded store), and the answer's trip.
 */
export const BATCH_RESERVE_MS = 8_000;

/** Whether there is still time to start another unit of work, from now on. */
export function timeBudget(context: Pick<Context, 'getRemainingTimeInMillis'>, reserveMs: number, clock: () => number = Date.now): InTime {
  const cap = budgetCap();
  const budget = Math.min(context.getRemainingTimeInMillis() - reserveMs, cap ?? Infinity);
  const stopAt = clock() + budget;
  return () => clock() < stopAt;
}

function budgetCap(): number | undefined {
  const raw = optionalEnv(ENV.batchBudgetMs);
  if (raw === undefined) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`environment variable ${ENV.batchBudgetMs} must be whole milliseconds, got ${raw}`);
  return ms;
}
