/**
 * Is the caller's account still allowed in? API Gateway's JWT authorizer vouches for the token only:
 * it knows nothing of a user deleted or disabled in the pool after the token was issued, and access
 * tokens live LIMITS.accessTokenMinutes. So every authorized request also passes this check.
 *
 * Asking the pool on every request would hit Cognito's request-rate quota (AdminGetUser shares the
 * per-account UserRead quota), so each warm function instance remembers the last word on an account
 * for LIMITS.accountCheckSeconds; a token issued within that time is itself such a word, since Cognito
 * issues tokens to active accounts only. When the pool cannot answer (throttled, unavailable) the
 * request goes through on the last word or the token's own: that is not the caller's state, and the
 * token still expires within minutes.
 */
import { LIMITS } from '@contract/limits';
import type { Caller } from '@shared/identity';
import { accountDeleted, accountDisabled } from '@shared/errors';
import { logger } from '@shared/logger';
import type { Account, AccountStatus } from '@repo/users';

export interface AccountSource {
  account(userId: string): Promise<Account>;
}

interface Word {
  readonly status: AccountStatus;
  /** Epoch milliseconds the status was true at. */
  readonly at: number;
}

/** Accounts remembered per instance; beyond this the oldest word is forgotten first. */
const MAX_REMEMBERED = 10_000;

export class AccountCheck {
  private readonly known = new Map<string, Word>();

  constructor(
    private readonly source: AccountSource,
    // Read at each call, so a fake clock set after construction applies.
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * Throws ACCOUNT_DELETED (401) or ACCOUNT_DISABLED (403) unless the account is active.
   * `tokenIssuedAt` is the access token's `iat` in epoch seconds, when the token has one.
   */
  async admit(caller: Caller, tokenIssuedAt?: number): Promise<void> {
    const status = await this.statusOf(caller.userId, tokenIssuedAt === undefined ? undefined : tokenIssuedAt * 1000);
    if (status === 'deleted') throw accountDeleted();
    if (status === 'disabled') throw accountDisabled();
  }

  private async statusOf(userId: string, issuedAt: number | undefined): Promise<AccountStatus> {
    const now = this.now();
    const remembered = this.known.get(userId);
    const latest = latestWord(remembered, issuedAt === undefined || issuedAt > now ? undefined : { status: 'active', at: issuedAt });
    if (latest && now - latest.at < LIMITS.accountCheckSeconds * 1000) return latest.status;
    try {
      const { status } = await this.source.account(userId);
      this.remember(userId, { status, at: now });
      return status;
    } catch (error) {
      logger.warn('account check skipped: the user pool did not answer', { userId, error: (error as Error).name });
      return latest?.status ?? 'active';
    }
  }

  private remember(userId: string, word: Word): void {
    this.known.delete(userId);
    if (this.known.size >= MAX_REMEMBERED) this.known.delete(this.known.keys().next().value as string);
    this.known.set(userId, word);
  }
}

function latestWord(a: Word | undefined, b: Word | undefined): Word | undefined {
  if (!a || !b) return a ?? b;
  return a.at >= b.at ? a : b;
}
