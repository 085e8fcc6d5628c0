/**
 * The Cognito user pool calls the CLI needs (sign-up, confirmation, password sign-in, refresh),
 * with Cognito's exceptions translated once into coded errors. These operations are public in
 * Cognito (no AWS credentials), so the client needs only the pool's client id and region.
 */
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { hasCode, NetworkError, ToteError, type ToteErrorCode } from '../core/errors';
import type { AuthDiscovery } from './credentials';

export interface Tokens {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  /** Present after a password sign-in; a refresh usually does not rotate it. */
  readonly refreshToken?: string;
}

export interface SignUpResult {
  readonly confirmed: boolean;
  /** Where Cognito sent the confirmation code (masked), when it says. */
  readonly codeDestination?: string;
}

export interface ConfirmResult {
  readonly alreadyConfirmed: boolean;
}

/** Cognito exception name -> our code and a message a person can act on (undefined: keep Cognito's). */
const COGNITO_ERRORS: Record<string, [ToteErrorCode, string | undefined]> = {
  UsernameExistsException: ['USER_EXISTS', 'an account with this email already exists'],
  UserNotConfirmedException: ['USER_NOT_CONFIRMED', 'the account is not confirmed yet; run `tote confirm <email> <code>`'],
  NotAuthorizedException: ['AUTH_FAILED', 'incorrect email or password'],
  UserNotFoundException: ['AUTH_FAILED', 'incorrect email or password'],
  CodeMismatchException: ['INVALID_CODE', 'the confirmation code is wrong'],
  ExpiredCodeException: ['INVALID_CODE', 'the confirmation code has expired'],
  InvalidPasswordException: ['INVALID_PASSWORD', undefined],
  InvalidParameterException: ['USAGE', undefined],
  TooManyRequestsException: ['THROTTLED', undefined],
  LimitExceededException: ['THROTTLED', undefined],
  TooManyFailedAttemptsException: ['THROTTLED', undefined],
};

function translate(thrown: unknown): ToteError {
  const error = thrown as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const known = error.name ? COGNITO_ERRORS[error.name] : undefined;
  if (known) return new ToteError(known[0], known[1] ?? error.message ?? error.name ?? 'rejected', { cause: thrown });
  if (error.$metadata?.httpStatusCode === undefined) {
    return new NetworkError(`cannot reach the sign-in service (${error.message ?? String(thrown)})`, thrown);
  }
  return new ToteError('UNEXPECTED', `sign-in service: ${error.message ?? error.name ?? 'failed'}`, { cause: thrown });
}

/** The `exp` claim of a JWT (seconds since the epoch), read without verifying: the service verifies. */
function jwtExpiry(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

function tokensFrom(result: AuthenticationResultType | undefined): Tokens {
  const accessToken = result?.AccessToken;
  if (!accessToken) throw new ToteError('UNEXPECTED_RESPONSE', 'the sign-in service answered without tokens (is another challenge configured?)');
  // ExpiresIn is relative, so immune to clock skew; some Cognito emulators only put it in the token.
  const exp = jwtExpiry(accessToken);
  const expiresAtMs = result.ExpiresIn ? Date.now() + result.ExpiresIn * 1000 : exp !== undefined ? exp * 1000 : undefined;
  if (expiresAtMs === undefined) throw new ToteError('UNEXPECTED_RESPONSE', 'the sign-in service answered with a token without expiry');
  return { accessToken, accessTokenExpiresAt: new Date(expiresAtMs), refreshToken: result.RefreshToken };
}

export class CognitoGateway {
  private readonly client: CognitoIdentityProviderClient;

  constructor(private readonly auth: AuthDiscovery) {
    this.client = new CognitoIdentityProviderClient({ region: auth.region, endpoint: auth.cognitoEndpoint, maxAttempts: 3 });
  }

  async signUp(email: string, password: string): Promise<SignUpResult> {
    const command = new SignUpCommand({
      ClientId: this.auth.userPoolClientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    const out = await this.guarded(() => this.client.send(command));
    return { confirmed: out.UserConfirmed === true, codeDestination: out.CodeDeliveryDetails?.Destination };
  }

  /** Confirms a new account; an account confirmed already is no failure (`alreadyConfirmed`), whatever the code. */
  async confirm(email: string, code: string): Promise<ConfirmResult> {
    const command = new ConfirmSignUpCommand({ ClientId: this.auth.userPoolClientId, Username: email, ConfirmationCode: code });
    try {
      await this.client.send(command);
      return { alreadyConfirmed: false };
    } catch (thrown) {
      // Cognito's only sign of it: NotAuthorizedException, "User cannot be confirmed. Current status is CONFIRMED".
      const error = thrown as { name?: string; message?: string };
      if (error.name === 'NotAuthorizedException' && /status is confirmed/i.test(error.message ?? '')) return { alreadyConfirmed: true };
      throw translate(thrown);
    }
  }

  async passwordSignIn(email: string, password: string): Promise<Tokens & { refreshToken: string }> {
    const command = new InitiateAuthCommand({
      ClientId: this.auth.userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    // Real Cognito answers a wrong password with NotAuthorizedException, some emulators with
    // InvalidPasswordException; either way the person typed the wrong password.
    const out = await this.guarded(() => this.client.send(command)).catch((error: unknown) => {
      throw hasCode(error, 'INVALID_PASSWORD') ? new ToteError('AUTH_FAILED', 'incorrect email or password', { cause: error }) : error;
    });
    if (out.ChallengeName) throw new ToteError('AUTH_FAILED', `sign-in needs a step the CLI does not support (${out.ChallengeName})`);
    const tokens = tokensFrom(out.AuthenticationResult);
    if (!tokens.refreshToken) throw new ToteError('UNEXPECTED_RESPONSE', 'the sign-in service answered without a refresh token');
    return { ...tokens, refreshToken: tokens.refreshToken };
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const command = new InitiateAuthCommand({
      ClientId: this.auth.userPoolClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    const out = await this.guarded(() => this.client.send(command));
    return tokensFrom(out.AuthenticationResult);
  }

  /** Releases the SDK client's connections. */
  close(): void {
    this.client.destroy();
  }

  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (thrown) {
      throw translate(thrown);
    }
  }
}
