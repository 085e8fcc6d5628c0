/**
 * The local Lambda endpoint (AWS_ENDPOINT_URL_LAMBDA of every function): the Invoke API, which is how
 * one function starts another (the collector starts one run per namespace) and how an operator runs a
 * function by hand, plus one local-only route to run the scheduled rules now:
 *
 *   POST /2015-03-31/functions/{name or ARN}/invocations   X-Amz-Invocation-Type: RequestResponse | Event
 *   POST /schedules/run   {"time"?: ISO date-time, "detail"?: {...}}   -> every rule's targets, then
 *                          waits until the Event invocations they started have finished
 */
import type * as http from 'node:http';
import type { EventSink } from '../host/events';
import { readBody } from '../http/body';
import type { RequestHandler } from '../http/deferred-server';
import type { Scheduler } from '../schedules/scheduler';
import type { FunctionModel } from '../template/functions';
import { invokeAsync, LOCAL_RETRY_DELAYS_MS } from './async-invoke';
import type { FunctionPool, InvokeResult } from './function-pool';

/** Lambda's payload limit for a synchronous invocation. */
const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
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

export function lambdaService(opts: {
  readonly pools: ReadonlyMap<string, FunctionPool>;
  readonly scheduler: () => Scheduler;
  readonly emit: EventSink;
}): LambdaService {
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

  const answer = async (req: http.IncomingMessage): Promise<Answer> => {
    const path = (req.url ?? '/').split('?')[0];
    const body = await readBody(req, PAYLOAD_LIMIT_BYTES);
    const payload: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    if (req.method === 'POST' && path === '/schedules/run') {
      const { time, detail } = payload as { time?: string; detail?: Record<string, unknown> };
      const at = time === undefined ? new Date() : new Date(time);
      if (Number.isNaN(at.getTime())) return { status: 400, body: { message: '`time` must be an ISO date-time' } };
      const runs = await opts.scheduler().runNow(at, detail);
      await settled();
      return { status: 200, body: { time: at.toISOString(), runs } };
    }
    const name = INVOKE_PATH.exec(path)?.[1];
    const pool = req.method === 'POST' && name !== undefined ? byName(decodeURIComponent(name)) : undefined;
    if (pool === undefined) {
      return { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: { Type: 'User', message: `Function not found: ${name ?? path}` } };
    }
    if (req.headers['x-amz-invocation-type'] === 'Event') {
      invokeLater(pool, payload);
      return { status: 202 };
    }
    const result = await pool.invoke(payload);
    if (result.ok) return { status: 200, body: result.payload ?? null };
    return { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: { errorType: result.errorType, errorMessage: result.errorMessage } };
  };

  return {
    handler: (req, res) => {
      answer(req)
        .catch((err: Error): Answer => ({ status: 400, body: { message: err.message } }))
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

function poolOf(pools: ReadonlyMap<string, FunctionPool>, fn: FunctionModel): FunctionPool {
  const pool = pools.get(fn.logicalId);
  if (!pool) throw new Error(`no worker pool for ${fn.name}`);
  return pool;
}
