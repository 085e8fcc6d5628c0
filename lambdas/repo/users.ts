/**
 * The user pool as a directory: who has an account with an email, and which email a user id has.
 * Lookups use ListUsers with an exact-match filter (the pool signs in by email, so an email names
 * at most one account); only accounts that can sign in count, so an unconfirmed sign-up (whose
 * owner never proved the address) never receives a share.
 */
import { ListUsersCommand, type CognitoIdentityProviderClient, type UserType } from '@aws-sdk/client-cognito-identity-provider';

export interface DirectoryUser {
  /** Cognito `sub`: the user's id everywhere in Tote. */
  readonly userId: string;
  readonly email: string;
}

const INACTIVE = new Set(['UNCONFIRMED', 'ARCHIVED', 'COMPROMISED']);

function attribute(user: UserType, name: string): string | undefined {
  return user.Attributes?.find((a) => a.Name === name)?.Value;
}

export class UserDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  /**
   * The account with this email. Tried as given, then lower-cased: the pool keeps an address as it
   * was signed up with, and people type addresses in any case.
   */
  async findByEmail(email: string): Promise<DirectoryUser | undefined> {
    const exact = await this.findOne('email', email);
    const lower = email.toLowerCase();
    return exact ?? (lower === email ? undefined : this.findOne('email', lower));
  }

  async findById(userId: string): Promise<DirectoryUser | undefined> {
    return this.findOne('sub', userId);
  }

  /**
   * The one active user whose attribute equals `value`. Values never contain quotes or backslashes
   * (the request schemas refuse them), so the filter needs no escaping.
   */
  private async findOne(name: 'email' | 'sub', value: string): Promise<DirectoryUser | undefined> {
    const found: DirectoryUser[] = [];
    let token: string | undefined;
    do {
      const out = await this.cognito.send(
        new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: `${name} = "${value}"`, PaginationToken: token }),
      );
      for (const user of out.Users ?? []) {
        const userId = attribute(user, 'sub');
        const email = attribute(user, 'email');
        if (user.Enabled === false || INACTIVE.has(user.UserStatus ?? '') || !userId || !email) continue;
        found.push({ userId, email });
      }
      token = out.PaginationToken;
    } while (token !== undefined);
    return found.length === 1 ? found[0] : undefined;
  }
}
