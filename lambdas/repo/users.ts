/**
 * The user pool as a directory: who has an account with an email (ListUsers with an exact-match
 * filter: the pool signs in by email, so an email names at most one account; only accounts that can
 * sign in count, so an unconfirmed sign-up, whose owner never proved the address, is nobody), and
 * what became of an account since its token was issued (AdminGetUser by user id).
 */
import { AdminGetUserCommand, ListUsersCommand, type CognitoIdentityProviderClient, type UserType } from '@aws-sdk/client-cognito-identity-provider';

export interface DirectoryUser {
  /** Cognito `sub`: the user's id everywhere in Tote. */
  readonly userId: string;
  readonly email: string;
}

/** An account as the pool has it now: `email` is known while it exists. */
export type Account = { readonly status: 'active' | 'disabled'; readonly email?: string } | { readonly status: 'deleted' };
export type AccountStatus = Account['status'];

const INACTIVE = new Set(['UNCONFIRMED', 'ARCHIVED', 'COMPROMISED']);

function attribute(user: Pick<UserType, 'Attributes'>, name: string): string | undefined {
  return user.Attributes?.find((a) => a.Name === name)?.Value;
}

export class UserDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  /**
   * The account with this email. Tried as given and lower-cased: the pool keeps an address as it was
   * signed up with, and people type addresses in any case. Both lookups always run, side by side, so
   * how long an answer takes does not tell whether the first one found an account.
   */
  async findByEmail(email: string): Promise<DirectoryUser | undefined> {
    const lower = email.toLowerCase();
    const [exact, folded] = await Promise.all([this.findOne('email', email), lower === email ? undefined : this.findOne('email', lower)]);
    return exact ?? folded;
  }

  /**
   * The account of a user id (Cognito accepts the `sub` as the user name). Throws when the pool cannot
   * answer (throttling, an outage): that says nothing about the account.
   */
  async account(userId: string): Promise<Account> {
    try {
      const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
      return { status: user.Enabled === false ? 'disabled' : 'active', email: attribute({ Attributes: user.UserAttributes }, 'email') };
    } catch (error) {
      if ((error as Error).name === 'UserNotFoundException') return { status: 'deleted' };
      throw error;
    }
  }

  /**
   * The one active user whose attribute equals `value`. Values never contain quotes or backslashes
   * (the request schemas refuse them), so the filter needs no escaping.
   */
  private async findOne(name: 'email', value: string): Promise<DirectoryUser | undefined> {
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
