/**
 * Test users: signed up through the user pool's public SignUp (email as user name, as the CLI does),
 * confirmed with AdminConfirmSignUp (no mailbox needed), and signed in for an access token, which is
 * what the CLI sends as `Authorization: Bearer`.
 */
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Target } from './target';

export interface TestUser {
  readonly email: string;
  readonly password: string;
  /** Cognito `sub`: the user's namespace (ownerId) in the service. */
  readonly sub: string;
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
}

export function cognitoClient(target: Target): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: target.auth.region, endpoint: target.auth.cognitoEndpoint });
}

/** A password any reasonable pool policy accepts (length, all character classes). */
const strongPassword = () => `Tt1!${randomBytes(12).toString('base64url')}`;

export async function createUser(target: Target, email = `it-${randomUUID()}@example.com`): Promise<TestUser> {
  const cognito = cognitoClient(target);
  try {
    const password = strongPassword();
    const signUp = await cognito.send(
      new SignUpCommand({
        ClientId: target.auth.userPoolClientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: target.auth.userPoolId, Username: email }));
    return { email, password, sub: signUp.UserSub as string, ...(await signIn(target, email, password)) };
  } finally {
    cognito.destroy();
  }
}

export async function signIn(
  target: Target,
  email: string,
  password: string,
): Promise<Pick<TestUser, 'accessToken' | 'idToken' | 'refreshToken'>> {
  const cognito = cognitoClient(target);
  try {
    const out = await cognito.send(
      new InitiateAuthCommand({
        ClientId: target.auth.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const result = out.AuthenticationResult;
    if (!result?.AccessToken || !result.IdToken || !result.RefreshToken) throw new Error(`sign-in of ${email} returned no tokens`);
    return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken };
  } finally {
    cognito.destroy();
  }
}
