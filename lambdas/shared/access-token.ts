/**
 * Verifies a Cognito access token the way the HTTP API's authorizer does, for the WebSocket API's
 * Lambda authorizer: RS256 signature from the pool's JWKS, issuer, expiry, `client_id` of one of the
 * pool's app clients (CLI and web, the HTTP authorizer's audience), and `token_use` "access" (an ID
 * token is refused, as on every HTTP route). The issuer is
 * Cognito's, or `<endpoint>/<poolId>` where the SDK's Cognito endpoint variable points elsewhere
 * (cognito-local, LocalStack), so the same bundle verifies tokens wherever it runs.
 */
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { unauthorized } from './errors';
import { issuedAtOf, SUB_PATTERN } from './identity';

export interface AccessTokenSettings {
  readonly region: string;
  readonly userPoolId: string;
  /** The app clients whose access tokens are accepted. */
  readonly clientIds: readonly string[];
  /** The Cognito endpoint, when not AWS's (ENV.cognitoEndpoint). */
  readonly cognitoEndpoint?: string;
}

export interface VerifiedAccessToken {
  readonly userId: string;
  /** The token's `iat` (epoch seconds), when it has one: the account check counts it as the pool's word. */
  readonly issuedAt?: number;
}

export type AccessTokenVerifier = (token: string) => Promise<VerifiedAccessToken>;

/** JWKS over fetch, which speaks http as well (the SDK-default fetcher insists on https). */
const fetcher = {
  fetch: async (uri: string): Promise<ArrayBuffer> => {
    const res = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`JWKS fetch ${uri} answered ${res.status}`);
    return res.arrayBuffer();
  },
};

export const issuerOf = (s: Pick<AccessTokenSettings, 'region' | 'userPoolId' | 'cognitoEndpoint'>): string =>
  s.cognitoEndpoint ? `${s.cognitoEndpoint.replace(/\/+$/, '')}/${s.userPoolId}` : `https://cognito-idp.${s.region}.amazonaws.com/${s.userPoolId}`;

export function accessTokenVerifier(settings: AccessTokenSettings): AccessTokenVerifier {
  const issuer = issuerOf(settings);
  const verifier = JwtRsaVerifier.create(
    {
      issuer,
      audience: null,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
        if (payload.token_use !== 'access') throw new Error('not an access token');
        if (typeof payload.client_id !== 'string' || !settings.clientIds.includes(payload.client_id)) throw new Error('issued to another app client');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );
  return async (token) => {
    let payload: JwtPayload;
    try {
      payload = await verifier.verify(token);
    } catch {
      throw unauthorized();
    }
    if (typeof payload.sub !== 'string' || !SUB_PATTERN.test(payload.sub)) throw unauthorized();
    return { userId: payload.sub, issuedAt: issuedAtOf(payload.iat) };
  };
}
