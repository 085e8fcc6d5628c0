/**
 * A WebSocket API's Lambda REQUEST authorizer at $connect, as API Gateway runs it: every identity
 * source must be present (else 401 without invoking anything), the function's "Unauthorized" error
 * is 401, any other failure 500, and the returned policy must allow execute-api:Invoke on the
 * connect method ARN (else 403). The principal and context become the connection's authorizer context.
 */
import type { FunctionPool } from '../lambda/function-pool';
import type { SocketAuthorizerModel } from '../template/socket-model';
import { authorizerEvent, methodArn, type ConnectionFacts, type UpgradeRequest } from './events';

export type ConnectVerdict =
  | { readonly ok: true; readonly context: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly status: 401 | 403 | 500; readonly message: string };

interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
}

interface AuthorizerResult {
  readonly principalId?: unknown;
  readonly policyDocument?: { readonly Statement?: PolicyStatement[] };
  readonly context?: Record<string, unknown> | null;
}

const refuse = (status: 401 | 403 | 500): ConnectVerdict => ({
  ok: false,
  status,
  message: status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Internal server error',
});

export function identityPresent(model: SocketAuthorizerModel, request: UpgradeRequest): boolean {
  return model.identitySource.every((source) => {
    const header = /^route\.request\.header\.(.+)$/i.exec(source)?.[1];
    if (header) return Object.entries(request.headers).some(([name, value]) => name.toLowerCase() === header.toLowerCase() && value.trim() !== '');
    const query = /^route\.request\.querystring\.(.+)$/i.exec(source)?.[1];
    if (query) return (request.query?.[query] ?? '') !== '';
    throw new Error(`authorizer ${model.name}: identity source ${source} is not supported locally`);
  });
}

/** `*` and `?` in policy resources, as IAM matches them. */
const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

export function policyAllows(result: AuthorizerResult, arn: string): boolean {
  const applicable = (result.policyDocument?.Statement ?? []).filter(
    (s) =>
      [s.Action ?? []].flat().some((a) => a === 'execute-api:Invoke' || a === 'execute-api:*' || a === '*') &&
      [s.Resource ?? []].flat().some((r) => wildcard(r).test(arn)),
  );
  return applicable.some((s) => s.Effect === 'Allow') && !applicable.some((s) => s.Effect === 'Deny');
}

export async function authorizeConnect(
  model: SocketAuthorizerModel,
  pool: FunctionPool,
  facts: ConnectionFacts,
  request: UpgradeRequest,
): Promise<ConnectVerdict> {
  if (!identityPresent(model, request)) return refuse(401);
  const result = await pool.invoke(authorizerEvent(facts, request));
  if (!result.ok) return refuse(result.errorMessage === 'Unauthorized' ? 401 : 500);
  const answer = result.payload as AuthorizerResult | null;
  if (answer === null || typeof answer.principalId !== 'string') return refuse(500);
  if (!policyAllows(answer, methodArn(facts, '$connect'))) return refuse(403);
  return { ok: true, context: { ...(answer.context ?? {}), principalId: answer.principalId } };
}
