/**
 * What stands on the Cognito port: every request goes on to cognito-local untouched, except where
 * cognito-local departs from Cognito in a way a person would meet.
 *
 * - A password being set (sign-up, reset, admin) is checked against the pool's policy from the
 *   template: cognito-local keeps the policy but accepts any password.
 * - ConfirmSignUp of an account that is confirmed already: Cognito answers NotAuthorizedException
 *   "User cannot be confirmed. Current status is CONFIRMED"; cognito-local says the code expired.
 *
 * Refusals are written the way Cognito writes them, so the SDK raises the same named exceptions.
 */
import * as http from 'node:http';
import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { readBody } from '../http/body';
import type { RequestHandler } from '../http/deferred-server';
import { passwordViolation, type PasswordPolicy } from './password-policy';

/** A user pool of the template: its id, its app clients' ids and its password policy. */
export interface PoolRules {
  readonly userPoolId: string;
  readonly clientIds: readonly string[];
  readonly passwordPolicy: PasswordPolicy;
}

/** Operations that set a password, and the request field carrying it. */
const PASSWORD_FIELDS: Readonly<Record<string, string>> = {
  SignUp: 'Password',
  ConfirmForgotPassword: 'Password',
  AdminSetUserPassword: 'Password',
  AdminCreateUser: 'TemporaryPassword',
};

/** Cognito's requests are small JSON documents. */
const MAX_REQUEST_BYTES = 1024 * 1024;

interface Refusal {
  readonly type: string;
  readonly message: string;
}

export interface CognitoFront {
  readonly handler: RequestHandler;
  close(): void;
}

export function cognitoFront(opts: {
  /** cognito-local's own address. */
  readonly upstream: string;
  /** A client of cognito-local allowed the Admin* calls. */
  readonly admin: CognitoIdentityProviderClient;
  readonly pools: readonly PoolRules[];
}): CognitoFront {
  const upstream = new URL(opts.upstream);
  const agent = new http.Agent({ keepAlive: true });
  const poolOf = (request: Record<string, unknown>): PoolRules | undefined =>
    opts.pools.find((p) => p.userPoolId === request.UserPoolId || p.clientIds.includes(String(request.ClientId)));

  async function refusalOf(operation: string, request: Record<string, unknown>): Promise<Refusal | undefined> {
    const pool = poolOf(request);
    if (!pool) return undefined;
    const password = request[PASSWORD_FIELDS[operation] ?? ''];
    if (typeof password === 'string') {
      const violation = passwordViolation(pool.passwordPolicy, password);
      return violation === undefined ? undefined : { type: 'InvalidPasswordException', message: violation };
    }
    if (operation === 'ConfirmSignUp' && (await userStatus(pool.userPoolId, String(request.Username))) === 'CONFIRMED') {
      return { type: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' };
    }
    return undefined;
  }

  async function userStatus(userPoolId: string, username: string): Promise<string | undefined> {
    try {
      return (await opts.admin.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }))).UserStatus;
    } catch {
      return undefined; // no such user: cognito-local gives its own answer
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_REQUEST_BYTES);
    const operation = /\.(\w+)$/.exec(String(req.headers['x-amz-target'] ?? ''))?.[1];
    const refusal = operation && req.method === 'POST' ? await refusalOf(operation, parseRequest(body)) : undefined;
    if (refusal) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': refusal.type });
      res.end(JSON.stringify({ __type: refusal.type, message: refusal.message }));
      return;
    }
    const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, resolve);
      out.once('error', reject);
      out.end(body);
    });
    res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
    answer.pipe(res);
  }

  return {
    handler: (req, res) => {
      handle(req, res).catch((err: Error) => {
        if (res.headersSent) res.destroy(err);
        else res.writeHead(502, { 'content-type': 'text/plain' }).end(`cognito front: ${err.message}`);
      });
    },
    close: () => agent.destroy(),
  };
}

function parseRequest(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
