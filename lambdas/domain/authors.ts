/**
 * Who made a change, as listings show it (versions, the trash): the user id, and the email the
 * directory still knows for them (a deleted account has none).
 */
import pLimit from 'p-limit';
import type { ChangedBy } from '@contract/schemas';
import type { Account } from '@repo/users';

export interface AuthorDirectory {
  account(userId: string): Promise<Account>;
}

/** Directory lookups at once while naming the authors of a page. */
const LOOKUPS = 4;

/** Looks up each distinct author of a page once; answers how to name any of them. */
export async function authorNames(directory: AuthorDirectory, userIds: readonly (string | undefined)[]): Promise<(userId: string) => ChangedBy> {
  const limit = pLimit(LOOKUPS);
  const distinct = [...new Set(userIds.filter((id): id is string => id !== undefined))];
  const found = await Promise.all(distinct.map((id) => limit(async () => [id, await directory.account(id)] as const)));
  const emails = new Map(found.flatMap(([id, account]) => (account.status === 'deleted' || account.email === undefined ? [] : [[id, account.email] as const])));
  return (userId) => {
    const email = emails.get(userId);
    return { userId, ...(email === undefined ? {} : { email }) };
  };
}
