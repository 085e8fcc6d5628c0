/**
 * API Gateway's JWT authorizer: token from the identity source (a `Bearer ` prefix is optional, as on
 * AWS), signature checked against the issuer's JWKS, `iss` equal to the configured issuer, `aud` (or
 * `client_id` when there is no `aud`, as API Gateway does) among the configured audiences, `exp`/`nbf`
 * honoured, then the route's AuthorizationScopes: a valid token carrying none of them is 403
 * Forbidden. Claims reach the function as strings, the way API Gateway flattens them.
 */
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { JwtAuthorizerModel } from '../template/api-model';
import type { JwtContext } from './event';

export type AuthorizerVerdict =
  | { readonly ok: true; readonly jwt: JwtContext }
  | { readonly ok: false; readonly status: 401 | 403; readonly wwwAuthenticate: string };

export type Authorize = (
  headers: Readonly<Record<string, string | string[] | undefined>>,
  /** The route's AuthorizationScopes; empty: any valid token passes. */
  requiredScopes: readonly string[],
) => Promise<AuthorizerVerdict>;

/** aws-jwt-verify fetches over https only; cognito-local serves its JWKS over http on 127.0.0.1. */
const httpFetcher = {
  fetch: async (uri: string): Promise<ArrayBuffer> => {
    const res = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`JWKS fetch ${uri} answered ${res.status}`);
    return res.arrayBuffer();
  },
};

export function createAuthorizer(model: JwtAuthorizerModel): Authorize {
  const header = /^\$request\.header\.(.+)$/.exec(model.identitySource[0] ?? '')?.[1]?.toLowerCase();
  if (!header || model.identitySource.length !== 1) {
    throw new Error(`authorizer ${model.name}: only a single $request.header identity source is supported locally`);
  }
  const verifier = JwtRsaVerifier.create(
    { issuer: model.issuer, audience: null, jwksUri: `${model.issuer}/.well-known/jwks.json` },
    { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher }) },
  );
  const audiences = new Set(model.audience);

  return async (headers, requiredScopes) => {
    const raw = headers[header];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) return { ok: false, status: 401, wwwAuthenticate: 'Bearer' };
    const token = value.replace(/^Bearer\s+/i, '');
    let payload: JwtPayload;
    try {
      payload = await verifier.verify(token);
    } catch (err) {
      return refused(401, 'invalid_token', (err as Error).message);
    }
    // API Gateway reads client_id only when the token has no aud (Cognito access tokens have none).
    const tokenAudiences = [payload.aud ?? payload.client_id].flat().filter((a): a is string => typeof a === 'string');
    if (audiences.size > 0 && !tokenAudiences.some((a) => audiences.has(a))) return refused(401, 'invalid_token', 'the token has an invalid audience');
    const scopes = scopesOf(payload);
    if (requiredScopes.length > 0 && !requiredScopes.some((s) => scopes.includes(s))) {
      return refused(403, 'insufficient_scope', `expected scopes: [${requiredScopes.join(' ')}]`, requiredScopes);
    }
    return { ok: true, jwt: { claims: flattenClaims(payload), scopes } };
  };
}

/**
 * The refusal API Gateway sends, with RFC 6750's `error` code in WWW-Authenticate; the description is
 * printable ASCII (verifier messages may quote the token).
 */
const refused = (status: 401 | 403, error: 'invalid_token' | 'insufficient_scope', description: string, scopes: readonly string[] = []): AuthorizerVerdict => ({
  ok: false,
  status,
  wwwAuthenticate: `Bearer scope="${scopes.join(' ')}" error="${error}" error_description="${description.replace(/[^\x20-\x7e]|"/g, ' ').slice(0, 200)}"`,
});

/** API Gateway passes every claim as a string; arrays become `[a b c]`. */
export function flattenClaims(payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) flat[name] = `[${value.join(' ')}]`;
    else if (typeof value === 'object') flat[name] = JSON.stringify(value);
    else flat[name] = String(value);
  }
  return flat;
}

function scopesOf(payload: JwtPayload): string[] {
  const scope = payload.scope ?? payload.scp;
  if (Array.isArray(scope)) return scope.map(String);
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}
