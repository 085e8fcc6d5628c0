/**
 * The local Lambda endpoint (AWS_ENDPOINT_URL_LAMBDA of every function, and where cognito-local
 * invokes user pool triggers): Lambda's Invoke API, which is how one function starts another (the
 * collector starts one run per namespace), how cognito-local runs triggers and how an operator runs a
 * function by hand, plus one local-only route to run the scheduled rules now:
 *
 *   POST /2015-03-31/functions/{name or ARN}/invocations   X-Amz-Invocation-Type: RequestResponse | Event
 *   POST /schedules/run   {"time"?: ISO date-time, "detail"?: {...}}   -> every rule's targets, then
 *                          waits until the Event invocations they started have finished
 *
 * cognito-local's triggers are global, not per pool, so it calls one name for every pool
 * (USER_POOL_TRIGGERS_FUNCTION); that name routes each event by its `userPoolId` and `triggerSource` to
 * the function the template gives that pool (template/user-pool-triggers.ts), and answers the event
 * unchanged where the pool has none, since Cognito would call nothing then.
 *
 * Answers as Lambda does: 200 with the function's result, or 200 with `X-Amz-Function-Error:
 * Unhandled` and the error when the function failed; 202 for an Event invocation; 404
 * ResourceNotFoundException for a name no function has.
 */
import type * as http from 'node:http';
import type { EventSink } from '../host/events';
import { readBody } from '../http/body';
import type { RequestHandler } from '../http/deferred-server';
import type { Scheduler } from '../schedules/scheduler';
import type { FunctionModel } from '../template/functions';
import { LOCAL_TRIGGERS, type LocalTrigger } from '../template/user-pool-triggers';
import { invokeAsync, LOCAL_RETRY_DELAYS_MS } from './async-invoke';
import type { FunctionPool, InvokeResult } from './function-pool';

/** The function name cognito-local is configured to call for every trigger the runtime runs. */
export const USER_POOL_TRIGGERS_FUNCTION = 'tote-local-user-pool-triggers';

/** Lambda's payload limit for a synchronous invocation. */
const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A request Lambda would refuse as malformed (400), as opposed to a fault of the endpoint (500). */
class BadRequest extends Error {}

export interface InvokeApiOptions {
  /** Every function's pool, by logical id. */
  readonly pools: ReadonlyMap<string, FunctionPool>;
  /** Trigger functions by physical user pool id. */
  readonly triggers: ReadonlyMap<string, Partial<Record<LocalTrigger, FunctionPool>>>;
  readonly scheduler: () => Scheduler;
  readonly emit: EventSink;
}

export interface LambdaService {
  readonly handler: RequestHandler;
  /** Invokes and waits (RequestResponse). */
  invoke(fn: FunctionModel, event: unknown): Promise<InvokeResult>;
  /** Resolves once no Event invocation is running or waiting for a retry. */
  settled(): Promise<void>;
  /** Drops pending retries. */
  stop(): void;
}

export function lambdaService(opts: InvokeApiOptions): LambdaService {
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const byName = (name: string) => [...opts.pools.values()].find((pool) => pool.fn.name === name || pool.fn.arn === name);
  const invoke = (fn: FunctionModel, event: unknown) => poolOf(opts.pools, fn).invoke(event);
  const invokeLater = (pool: FunctionPool, event: unknown) => {
    const run = invokeAsync(pool, event, {
      retries: pool.fn.asyncRetries,
      delaysMs: LOCAL_RETRY_DELAYS_MS,
      signal: stopping.signal,
      onFailure: (failure, attempts) =>
        opts.emit({ type: 'warning', message: `${pool.fn.name} failed after ${attempts} attempts: ${failure.errorType}: ${failure.errorMessage}` }),
    }).finally(() => inFlight.delete(run));
    inFlight.add(run);
  };
  const settled = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };
  /** The pool a user pool trigger event goes to; undefined when that pool runs nothing for it. */
  const triggerPool = (event: unknown): FunctionPool | undefined => {
    const { userPoolId, triggerSource } = (event ?? {}) as { userPoolId?: unknown; triggerSource?: unknown };
    const trigger = String(triggerSource).split('_')[0] as LocalTrigger;
    return LOCAL_TRIGGERS.includes(trigger) ? opts.triggers.get(String(userPoolId))?.[trigger] : undefined;
  };

  const runSchedules = async (payload: unknown): Promise<Answer> => {
    const { time, detail } = payload as { time?: string; detail?: Record<string, unknown> };
    const at = time === undefined ? new Date() : new Date(time);
    if (Number.isNaN(at.getTime())) return { status: 400, body: { message: '`time` must be an ISO date-time' } };
    const runs = await opts.scheduler().runNow(at, detail);
    await settled();
    return { status: 200, body: { time: at.toISOString(), runs } };
  };

  const answer = async (req: http.IncomingMessage): Promise<Answer> => {
    const path = (req.url ?? '/').split('?')[0];
    const name = INVOKE_PATH.exec(path)?.[1];
    const isSchedules = req.method === 'POST' && path === '/schedules/run';
    const functionName = req.method === 'POST' && name !== undefined ? decodeURIComponent(name) : undefined;
    const pool = functionName === undefined || functionName === USER_POOL_TRIGGERS_FUNCTION ? undefined : byName(functionName);
    if (!isSchedules && functionName !== USER_POOL_TRIGGERS_FUNCTION && pool === undefined) {
      req.resume();
      return { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: { Type: 'User', message: `Function not found: ${name ?? path}` } };
    }
    const payload = await readPayload(req);
    if (isSchedules) return runSchedules(payload);
    const target = pool ?? triggerPool(payload);
    if (target === undefined) return { status: 200, body: payload };
    if (req.headers['x-amz-invocation-type'] === 'Event') {
      invokeLater(target, payload);
      return { status: 202 };
    }
    const result = await target.invoke(payload);
    if (result.ok) return { status: 200, body: result.payload ?? null };
    return { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: { errorType: result.errorType, errorMessage: result.errorMessage } };
  };

  return {
    handler: (req, res) => {
      answer(req)
        .catch((err: Error): Answer => {
          if (err instanceof BadRequest) return { status: 400, headers: { 'x-amzn-errortype': 'InvalidRequestContentException' }, body: { message: err.message } };
          opts.emit({ type: 'warning', message: `Lambda Invoke API: ${err.message}` });
          return { status: 500, headers: { 'x-amzn-errortype': 'ServiceException' }, body: { message: err.message } };
        })
        .then((out) => {
          const text = out.body === undefined ? '' : JSON.stringify(out.body);
          res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers }).end(text);
        });
    },
    invoke,
    settled,
    stop: () => stopping.abort(),
  };
}

async function readPayload(req: http.IncomingMessage): Promise<unknown> {
  const body = await readBody(req, PAYLOAD_LIMIT_BYTES);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (err) {
    throw new BadRequest(`the payload is not JSON: ${(err as Error).message}`);
  }
}

function poolOf(pools: ReadonlyMap<string, FunctionPool>, fn: FunctionModel): FunctionPool {
  const pool = pools.get(fn.logicalId);
  if (!pool) throw new Error(`no worker pool for ${fn.name}`);
  return pool;
}
