/** Just enough JWT handling for tests that forge, re-sign or age tokens (RS256). */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { LIMITS } from '@contract/limits';

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeJwt(token: string): DecodedJwt {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

export function signJwt({ header, payload }: DecodedJwt, key: KeyObject): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A key no issuer knows: what a forger has. */
export const strangerKey = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/**
 * The key cognito-local signs every token with (it ships in the package). Only against the local
 * runtime can a test mint a token the issuer really signed, e.g. one that has expired.
 */
export function cognitoLocalKey(): KeyObject {
  const file = require.resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  const { jwk } = JSON.parse(fs.readFileSync(file, 'utf8')) as { jwk: import('node:crypto').JsonWebKey };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

/**
 * `accessToken` as its issuer signed it, but issued `ageSeconds` ago (default: before the account
 * check's trust window, LIMITS.accountCheckSeconds), so the service asks the pool about its account.
 * Local runtime only (cognitoLocalKey).
 */
export function agedToken(accessToken: string, ageSeconds = LIMITS.accountCheckSeconds + 60): string {
  const { header, payload } = decodeJwt(accessToken);
  const issued = Math.floor(Date.now() / 1000) - ageSeconds;
  return signJwt({ header, payload: { ...payload, iat: issued, auth_time: issued } }, cognitoLocalKey());
}
