/**
 * Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`, request-response), as far as
 * cognito-local calls it to run user pool triggers. cognito-local's triggers are global, not per
 * pool, so it calls one name for every pool (USER_POOL_TRIGGERS_FUNCTION); this routes each event by
 * its `userPoolId` and `triggerSource` to the function the template gives that pool
 * (template/user-pool-triggers.ts), and answers the event unchanged where the pool has none, since
 * Cognito would call nothing then.
 *
 * Answers as Lambda does: 200 with the function's result, or 200 with `X-Amz-Function-Error:
 * Unhandled` and the error when the function failed; 404 ResourceNotFoundException for any other name.
 */
import type * as http from 'node:http';
import type { EventSink } from '../host/events';
import { readBody } from '../http/body';
import type { RequestHandler } from '../http/deferred-server';
import { LOCAL_TRIGGERS, type LocalTrigger } from '../template/user-pool-triggers';
import type { FunctionPool } from './function-pool';

/** The function name cognito-local is configured to call for every trigger the runtime runs. */
export const USER_POOL_TRIGGERS_FUNCTION = 'tote-local-user-pool-triggers';

/** Lambda's request payload limit for synchronous invocations. */
const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export interface InvokeApiOptions {
  /** Trigger functions by physical user pool id. */
  readonly triggers: ReadonlyMap<string, Partial<Record<LocalTrigger, FunctionPool>>>;
  readonly emit: EventSink;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export function invokeApiHandler(opts: InvokeApiOptions): RequestHandler {
  return (req, res) => {
    answer(req)
      .catch((err: Error) => {
        opts.emit({ type: 'warning', message: `Lambda Invoke API: ${err.message}` });
        return json(500, { message: err.message }, { 'x-amzn-errortype': 'ServiceException' });
      })
      .then((out) => res.writeHead(out.status, out.headers).end(out.body));
  };

  async function answer(req: http.IncomingMessage): Promise<Answer> {
    const name = INVOKE_PATH.exec(req.url?.split('?')[0] ?? '')?.[1];
    if (req.method !== 'POST' || name === undefined || decodeURIComponent(name) !== USER_POOL_TRIGGERS_FUNCTION) {
      req.resume();
      return json(404, { Type: 'User', message: `Function not found: ${name ?? req.url}` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
    }
    const event = JSON.parse((await readBody(req, PAYLOAD_LIMIT_BYTES)).toString('utf8')) as { userPoolId?: unknown; triggerSource?: unknown };
    const trigger = String(event.triggerSource).split('_')[0] as LocalTrigger;
    const pool = LOCAL_TRIGGERS.includes(trigger) ? opts.triggers.get(String(event.userPoolId))?.[trigger] : undefined;
    if (!pool) return json(200, event);
    const result = await pool.invoke(event);
    if (result.ok) return json(200, result.payload);
    return json(200, { errorType: result.errorType, errorMessage: result.errorMessage }, { 'x-amz-function-error': 'Unhandled' });
  }
}
