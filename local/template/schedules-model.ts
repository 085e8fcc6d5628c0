/**
 * Which functions EventBridge runs on a schedule: the template's AWS::Events::Rule resources with a
 * ScheduleExpression, and their function targets. `rate(...)` schedules have a period the runtime can
 * keep; a cron expression is run on demand only.
 */
import { functionByArn, type FunctionModel } from './functions';
import type { Resolver } from './intrinsics';
import { asObject, asString, resourcesOfType } from './resources';
import type { CfnTemplate } from './types';

export interface ScheduleModel {
  readonly logicalId: string;
  readonly expression: string;
  /** The period of a `rate(...)` expression; undefined for cron. */
  readonly periodMs?: number;
  readonly targets: readonly { readonly function: FunctionModel; readonly input?: unknown }[];
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `rate(6 hours)` -> 21600000; undefined for anything else (cron). */
export function ratePeriodMs(expression: string): number | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

export function scheduleModels(template: CfnTemplate, resolve: Resolver, functions: readonly FunctionModel[]): ScheduleModel[] {
  return resourcesOfType(template, 'AWS::Events::Rule').flatMap(([logicalId, resource]) => {
    const where = `AWS::Events::Rule ${logicalId}`;
    const props = asObject(resolve(resource.Properties ?? {}, where), where);
    if (props.ScheduleExpression === undefined || props.State === 'DISABLED') return [];
    const expression = asString(props.ScheduleExpression, `${where}.ScheduleExpression`);
    const targets = (Array.isArray(props.Targets) ? props.Targets : []).map((raw: unknown, i: number) => {
      const target = asObject(raw, `${where}.Targets[${i}]`);
      const arn = asString(target.Arn, `${where}.Targets[${i}].Arn`);
      const fn = functionByArn(functions, arn);
      if (!fn) throw new Error(`${where}: target ${arn} is not a function with a bundled asset`);
      return { function: fn, ...(typeof target.Input === 'string' ? { input: JSON.parse(target.Input) as unknown } : {}) };
    });
    const periodMs = ratePeriodMs(expression);
    return [{ logicalId, expression, ...(periodMs === undefined ? {} : { periodMs }), targets }];
  });
}
