/**
 * Who to wake when feeds move, and waking them: the owner of every appended journal entry, everyone
 * the entry's file is shared with (read when the entry is seen, so a revoked recipient hears nothing
 * more about the file; an invitation waits for an address with no account, so nobody is woken for
 * it), and the recipient of every grant written or removed. Each user is hinted once
 * per batch however many of their feeds' entries it holds, on every connection they have open.
 * Each user to wake first passes the account check of every HTTP route (domain/account-check.ts): a
 * connection opened before its account was deleted or disabled hears nothing more once the check
 * knows (within LIMITS.accountCheckSeconds, the HTTP routes' window) and is closed instead.
 *
 * A hint carries no file data and the feed stays the truth, so the rules are lopsided on purpose:
 * failing to read who to wake fails the batch (the stream delivers it again: no commit goes unheard),
 * while a post that fails is logged and left (the device's slow poll covers it; retrying the batch
 * would hint everyone else again and hold up the stream behind one bad connection).
 */
import pLimit from 'p-limit';
import { CHANGES_HINT, type PushMessage } from '@contract/push';
import { isApiError } from '@shared/errors';
import type { Caller } from '@shared/identity';
import type { PushConnection } from '@repo/connections';
import type { FileShare } from '@repo/items';
import type { Delivery } from '@repo/push-sender';
import type { FeedMove } from '@repo/stream-records';

export interface FanoutDeps {
  readonly shares: { forFile(fileId: string): Promise<readonly FileShare[]> };
  readonly connections: {
    forUser(userId: string, now: Date): Promise<readonly PushConnection[]>;
    removeGone(userId: string, connectionId: string, now: Date): Promise<void>;
  };
  readonly accounts: { admit(caller: Caller): Promise<void> };
  readonly sender: {
    send(connectionId: string, message: PushMessage): Promise<Delivery>;
    close(connectionId: string): Promise<Delivery>;
  };
  readonly onSendFailure?: (connection: PushConnection, error: unknown) => void;
}

export interface FanoutResult {
  readonly users: number;
  readonly sent: number;
  readonly gone: number;
  readonly failed: number;
  /** Connections of accounts refused by the account check, closed instead of hinted. */
  readonly closed: number;
}

/** Requests in flight at once (share reads, connection reads, posts). */
const CONCURRENCY = 16;

/** The users whose feeds `moves` moved, each once. */
export async function usersToWake(shares: FanoutDeps['shares'], moves: readonly FeedMove[]): Promise<Set<string>> {
  const users = new Set<string>();
  const files = new Set<string>();
  for (const move of moves) {
    if (move.kind === 'grant') users.add(move.recipientId);
    else {
      users.add(move.ownerId);
      if (move.fileId !== undefined) files.add(move.fileId);
    }
  }
  const limit = pLimit(CONCURRENCY);
  const recipients = await Promise.all([...files].map((fileId) => limit(() => shares.forFile(fileId))));
  for (const share of recipients.flat()) if (share.kind === 'grant') users.add(share.recipientId);
  return users;
}

/** Whether the account may still hear hints: ACCOUNT_DELETED and ACCOUNT_DISABLED say no; any other failure fails the batch. */
async function admitted(accounts: FanoutDeps['accounts'], userId: string): Promise<boolean> {
  try {
    await accounts.admit({ userId });
    return true;
  } catch (error) {
    if (isApiError(error) && (error.code === 'ACCOUNT_DELETED' || error.code === 'ACCOUNT_DISABLED')) return false;
    throw error;
  }
}

export async function wakeFeeds(deps: FanoutDeps, moves: readonly FeedMove[], now = new Date()): Promise<FanoutResult> {
  const users = await usersToWake(deps.shares, moves);
  const limit = pLimit(CONCURRENCY);
  const perUser = await Promise.all(
    [...users].map((userId) =>
      limit(async () => {
        const connections = await deps.connections.forUser(userId, now);
        // Asked only of users with a connection: the check may cost a call to the pool.
        const admit = connections.length > 0 && (await admitted(deps.accounts, userId));
        return connections.map((connection) => ({ connection, admit }));
      }),
    ),
  );
  const outcomes = await Promise.all(
    perUser.flat().map(({ connection, admit }) =>
      limit(async (): Promise<Delivery | 'failed' | 'closed'> => {
        try {
          const delivery = admit ? await deps.sender.send(connection.connectionId, CHANGES_HINT) : await deps.sender.close(connection.connectionId);
          // A closed connection's record goes with its $disconnect, as any other's.
          if (delivery === 'gone') await deps.connections.removeGone(connection.userId, connection.connectionId, now);
          return admit || delivery === 'gone' ? delivery : 'closed';
        } catch (error) {
          deps.onSendFailure?.(connection, error);
          return 'failed';
        }
      }),
    ),
  );
  const count = (what: Delivery | 'failed' | 'closed') => outcomes.filter((o) => o === what).length;
  return { users: users.size, sent: count('sent'), gone: count('gone'), failed: count('failed'), closed: count('closed') };
}
