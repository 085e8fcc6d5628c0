/**
 * EventBridge's scheduled rules, locally: each rule's targets get a Scheduled Event every period of its
 * `rate(...)` expression while the runtime runs, and on demand (`runNow`, with any time as the event's
 * `time`: how a test or `npm run collect` makes the collector believe a month has passed).
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../config';
import type { EventSink } from '../host/events';
import type { InvokeResult } from '../lambda/function-pool';
import type { FunctionModel } from '../template/functions';
import type { ScheduleModel } from '../template/schedules-model';

export interface ScheduledEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Scheduled Event';
  readonly source: 'aws.events';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface TargetRun {
  readonly rule: string;
  readonly function: string;
  readonly result: InvokeResult;
}

export interface Scheduler {
  /** Runs every rule's targets now, waiting for each; `time` and `detail` go into the event. */
  runNow(time: Date, detail?: Readonly<Record<string, unknown>>): Promise<TargetRun[]>;
  stop(): void;
}

/** Node's timers hold at most about 24.8 days; a longer rate runs that often instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** EventBridge stamps scheduled events to the second. */
const toEventTime = (time: Date) => `${time.toISOString().slice(0, 19)}Z`;

export function scheduledEvent(rule: ScheduleModel, time: Date, detail: Readonly<Record<string, unknown>> = {}): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: toEventTime(time),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule.logicalId}`],
    detail,
  };
}

export function startScheduler(
  schedules: readonly ScheduleModel[],
  invoke: (fn: FunctionModel, event: unknown) => Promise<InvokeResult>,
  emit: EventSink,
): Scheduler {
  const run = async (rule: ScheduleModel, time: Date, detail?: Readonly<Record<string, unknown>>): Promise<TargetRun[]> =>
    Promise.all(
      rule.targets.map(async (target) => {
        const result = await invoke(target.function, target.input ?? scheduledEvent(rule, time, detail));
        if (!result.ok) emit({ type: 'warning', message: `scheduled ${rule.logicalId} -> ${target.function.name} failed: ${result.errorType}: ${result.errorMessage}` });
        return { rule: rule.logicalId, function: target.function.name, result };
      }),
    );
  const timers = schedules.flatMap((rule) =>
    rule.periodMs === undefined ? [] : [setInterval(() => void run(rule, new Date()), Math.min(rule.periodMs, MAX_TIMER_MS)).unref()],
  );
  return {
    runNow: async (time, detail) => (await Promise.all(schedules.map((rule) => run(rule, time, detail)))).flat(),
    stop: () => timers.forEach((timer) => clearInterval(timer)),
  };
}
