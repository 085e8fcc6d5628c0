/**
 * Who to wake when feeds move, and waking them: the owner of every appended journal entry, everyone
 * the entry's file is shared with (read when the entry is seen, so a revoked recipient hears nothing
 * more about the file; an invitation waits for an address with no account, so nobody is woken for
 * it), and the recipient of every grant written or removed. Each user is hinted once
 * per batch however many of their feeds' entries it holds, on every connection they have open.
 *
 * A hint carries no file data and the feed stays the truth, so the rules are lopsided on purpose:
 * failing to read who to wake fails the batch (the stream delivers it again: no commit goes unheard),
 * while a post that fails is logged and left (the device's slow poll covers it; retrying the batch
 * would hint everyone else again and hold up the stream behind one bad connection).
 */
import pLimit from 'p-limit';
import { CHANGES_HINT, type PushMessage } from '@contract/push';
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
  readonly sender: { send(connectionId: string, message: PushMessage): Promise<Delivery> };
  readonly onSendFailure?: (connection: PushConnection, error: unknown) => void;
}

export interface FanoutResult {
  readonly users: number;
  readonly sent: number;
  readonly gone: number;
  readonly failed: number;
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
      files.add(move.fileId);
    }
  }
  const limit = pLimit(CONCURRENCY);
  const recipients = await Promise.all([...files].map((fileId) => limit(() => shares.forFile(fileId))));
  for (const share of recipients.flat()) if (share.kind === 'grant') users.add(share.recipientId);
  return users;
}

export async function wakeFeeds(deps: FanoutDeps, moves: readonly FeedMove[], now = new Date()): Promise<FanoutResult> {
  const users = await usersToWake(deps.shares, moves);
  const limit = pLimit(CONCURRENCY);
  const connections = (await Promise.all([...users].map((userId) => limit(() => deps.connections.forUser(userId, now))))).flat();
  const outcomes = await Promise.all(
    connections.map((connection) =>
      limit(async (): Promise<Delivery | 'failed'> => {
        try {
          const delivery = await deps.sender.send(connection.connectionId, CHANGES_HINT);
          if (delivery === 'gone') await deps.connections.removeGone(connection.userId, connection.connectionId, now);
          return delivery;
        } catch (error) {
          deps.onSendFailure?.(connection, error);
          return 'failed';
        }
      }),
    ),
  );
  const count = (what: Delivery | 'failed') => outcomes.filter((o) => o === what).length;
  return { users: users.size, sent: count('sent'), gone: count('gone'), failed: count('failed') };
}
