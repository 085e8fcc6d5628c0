/**
 * The Cognito user pool calls the web app needs, over Cognito's public JSON API with fetch (the AWS
 * SDK would add ~100 KB to the bundle for five requests): sign-up, confirmation, password sign-in,
 * refresh and revocation of the refresh token. Cognito's exceptions become coded WebErrors once, here.
 */
import type { HealthResponse } from '@contract/schemas';
import { WebError, type WebErrorCode } from '../errors';

export type PoolAuth = HealthResponse['auth'];

export interface Tokens {
  readonly accessToken: string;
  /** Milliseconds since the epoch, from ExpiresIn (relative, so immune to a wrong clock) or else the token. */
  readonly expiresAt: number;
  readonly refreshToken?: string;
}

const COGNITO_ERRORS: Record<string, [WebErrorCode, string | undefined]> = {
  UsernameExistsException: ['USER_EXISTS', 'an account with this email already exists'],
  UserNotConfirmedException: ['USER_NOT_CONFIRMED', 'this account is not confirmed yet: enter the code that was sent to you'],
  NotAuthorizedException: ['AUTH_FAILED', 'incorrect email or password'],
  UserNotFoundException: ['AUTH_FAILED', 'incorrect email or password'],
  CodeMismatchException: ['INVALID_CODE', 'the confirmation code is wrong'],
  ExpiredCodeException: ['INVALID_CODE', 'the confirmation code has expired'],
  InvalidPasswordException: ['INVALID_PASSWORD', undefined],
  InvalidParameterException: ['VALIDATION_FAILED', undefined],
  TooManyRequestsException: ['THROTTLED', undefined],
  LimitExceededException: ['THROTTLED', undefined],
  TooManyFailedAttemptsException: ['THROTTLED', undefined],
};

/** The `exp` claim of a JWT in milliseconds, read without verifying (the service verifies). */
export function jwtExpiryMs(token: string): number | undefined {
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '='))) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

interface AuthenticationResult {
  AccessToken?: string;
  ExpiresIn?: number;
  RefreshToken?: string;
}

export class CognitoGateway {
  private readonly url: string;
  private readonly clientId: string;

  constructor(auth: PoolAuth) {
    this.url = auth.cognitoEndpoint ?? `https://cognito-idp.${auth.region}.amazonaws.com/`;
    this.clientId = auth.webClientId ?? auth.userPoolClientId;
  }

  async signUp(email: string, password: string): Promise<{ confirmed: boolean; codeDestination?: string }> {
    const out = await this.send<{ UserConfirmed?: boolean; CodeDeliveryDetails?: { Destination?: string } }>('SignUp', {
      ClientId: this.clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    return { confirmed: out.UserConfirmed === true, codeDestination: out.CodeDeliveryDetails?.Destination };
  }

  async confirm(email: string, code: string): Promise<void> {
    await this.send('ConfirmSignUp', { ClientId: this.clientId, Username: email, ConfirmationCode: code });
  }

  async passwordSignIn(email: string, password: string): Promise<Tokens & { refreshToken: string }> {
    const out = await this.send<{ AuthenticationResult?: AuthenticationResult; ChallengeName?: string }>('InitiateAuth', {
      ClientId: this.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }).catch((error: unknown) => {
      // Some emulators answer a wrong password with InvalidPasswordException: it is still a wrong password.
      throw error instanceof WebError && error.code === 'INVALID_PASSWORD' ? new WebError('AUTH_FAILED', 'incorrect email or password') : error;
    });
    if (out.ChallengeName) throw new WebError('AUTH_FAILED', `sign-in needs a step this app does not support (${out.ChallengeName})`);
    const tokens = tokensFrom(out.AuthenticationResult);
    if (!tokens.refreshToken) throw new WebError('UNEXPECTED_RESPONSE', 'the sign-in service answered without a refresh token');
    return { ...tokens, refreshToken: tokens.refreshToken };
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const out = await this.send<{ AuthenticationResult?: AuthenticationResult }>('InitiateAuth', {
      ClientId: this.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    return tokensFrom(out.AuthenticationResult);
  }

  /** Ends the refresh token (and the access tokens it issued) at Cognito: sign-out on a shared computer. */
  async revoke(refreshToken: string): Promise<void> {
    await this.send('RevokeToken', { ClientId: this.clientId, Token: refreshToken });
  }

  private async send<T>(operation: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (thrown) {
      throw new WebError('NETWORK', `cannot reach the sign-in service (${(thrown as Error).message})`);
    }
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return json as T;
    const type = String(json.__type ?? json.code ?? '').split('#').pop() ?? '';
    const message = typeof json.message === 'string' ? json.message : `sign-in service answered ${response.status}`;
    const known = COGNITO_ERRORS[type];
    if (known) throw new WebError(known[0], known[1] ?? message, response.status);
    throw new WebError(response.status >= 500 ? 'UNAVAILABLE' : 'UNEXPECTED', `sign-in service: ${message}`, response.status);
  }
}

function tokensFrom(result: AuthenticationResult | undefined): Tokens {
  const accessToken = result?.AccessToken;
  if (!accessToken) throw new WebError('UNEXPECTED_RESPONSE', 'the sign-in service answered without tokens');
  const expiresAt = result.ExpiresIn ? Date.now() + result.ExpiresIn * 1000 : jwtExpiryMs(accessToken);
  if (expiresAt === undefined) throw new WebError('UNEXPECTED_RESPONSE', 'the sign-in service answered with a token without expiry');
  return { accessToken, expiresAt, refreshToken: result.RefreshToken };
}
