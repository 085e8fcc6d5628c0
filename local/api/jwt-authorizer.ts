/**
 * API Gateway's JWT authorizer: token from the identity source (a `Bearer ` prefix is optional, as on
 * AWS), signature checked against the issuer's JWKS, `iss` equal to the configured issuer, `aud` or
 * `client_id` among the configured audiences, `exp`/`nbf` honoured. Claims reach the function as
 * strings, the way API Gateway flattens them.
 */
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { JwtAuthorizerModel } from '../template/api-model';
import type { JwtContext } from './event';

export type AuthorizerVerdict =
  | { readonly ok: true; readonly jwt: JwtContext }
  | { readonly ok: false; readonly wwwAuthenticate: string };

export type Authorize = (headers: Readonly<Record<string, string | string[] | undefined>>) => Promise<AuthorizerVerdict>;

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

  return async (headers) => {
    const raw = headers[header];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) return { ok: false, wwwAuthenticate: 'Bearer' };
    const token = value.replace(/^Bearer\s+/i, '');
    let payload: JwtPayload;
    try {
      payload = await verifier.verify(token);
    } catch (err) {
      return invalid((err as Error).message);
    }
    const tokenAudiences = [payload.aud, payload.client_id].flat().filter((a): a is string => typeof a === 'string');
    if (audiences.size > 0 && !tokenAudiences.some((a) => audiences.has(a))) return invalid('the token has an invalid audience');
    return { ok: true, jwt: { claims: flattenClaims(payload), scopes: scopesOf(payload) } };
  };
}

/** The header API Gateway sends; the description is printable ASCII (verifier messages may quote the token). */
const invalid = (description: string): AuthorizerVerdict => ({
  ok: false,
  wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description.replace(/[^\x20-\x7e]|"/g, ' ').slice(0, 200)}"`,
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
