/**
 * The change feed (GET /changes): what changed in the caller's namespace since a cursor, and what
 * changed in files others share with the caller.
 *
 * Own files: the caller's journal is gapless and in commit order, so the feed is a range read from
 * the cursor's sequence number. When the entries right after the cursor have expired (retention:
 * LIMITS.journalRetentionSeconds), the answer is 410 CURSOR_RESET and the client lists its folders
 * again; nothing else ever resets a cursor.
 *
 * Shared files are merged in at read time, not fanned out at write time: commits stay one
 * transaction in the owner's namespace, however many people a file is shared with. Each poll reads
 * the caller's grants (one query), the journal counters of the caller and of every owner sharing
 * with it (one batch read), and, only for owners whose counter moved, their journal from the
 * cursor's position, keeping entries of the files shared with the caller. Shares, role changes and
 * revokes are not journaled anywhere: the cursor carries a tag of the grant set, and when the set
 * differs the answer carries `shared`, the complete current set, which the client adopts. An owner
 * whose journal ran far ahead (or expired) since the cursor is not scanned entry by entry: the
 * position jumps to the owner's newest entry and the answer carries `shared` instead, which is
 * cheaper and says the same (shared files are synced by state, not by history).
 *
 * Reads happen in an order that makes every answer safe to apply: counters before journals and
 * before the snapshot, so anything changed meanwhile is delivered (again) after the new cursor, and
 * clients apply entries by revision, ignoring ones they already have.
 */
import { LIMITS } from '@contract/limits';
import { baseName } from '@contract/paths';
import type { ChangeEntry, ChangesQuery, ChangesResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { cursorReset, invalidCursor } from '@shared/errors';
import type { FileRepository } from '@repo/files';
import { isFolderEntry, type ShareRecord, type StoredJournalEntry } from '@repo/items';
import type { JournalRepository } from '@repo/journal';
import type { ShareRepository } from '@repo/shares';
import { decodeFeedCursor, encodeFeedCursor, grantsTag, ownerTag, type FeedPosition } from './feed-cursor';
import { pageSize } from './paging';
import { sharedFileEntries } from './sharing';

export interface FeedDeps {
  readonly files: FileRepository;
  readonly journal: JournalRepository;
  readonly shares: ShareRepository;
}

/** Beyond this many entries behind, an owner's journal is skipped and the shared set sent instead. */
export const OWNER_JUMP_ENTRIES = 10 * LIMITS.listPageMax;

/** A sharing owner as one poll sees it: the caller's grants on its files and its newest sequence number. */
interface Owner {
  readonly ownerId: string;
  readonly tag: string;
  readonly grants: ReadonlyMap<string, ShareRecord>;
  readonly lastSeq: number;
}

export async function listChanges(deps: FeedDeps, caller: Caller, query: ChangesQuery, now = new Date()): Promise<ChangesResponse> {
  const limit = pageSize(query.limit);
  const from = query.cursor === undefined ? undefined : decodeFeedCursor(caller, query.cursor);
  const grants = await allGrants(deps.shares, caller.userId);
  const seqs = await deps.journal.lastSeqs([caller.userId, ...grants.map((g) => g.ownerId)]);
  const owners = sharingOwners(grants, seqs);
  const tagOfGrants = grantsTag(grants);
  const ownLast = seqs.get(caller.userId) ?? 0;

  if (from === undefined) {
    const position = { own: ownLast, owners: Object.fromEntries(owners.map((o) => [o.tag, o.lastSeq])), grants: tagOfGrants };
    return { entries: [], cursor: encodeFeedCursor(caller, position), hasMore: false, shared: await sharedFileEntries(deps.files, grants) };
  }
  if (from.own > ownLast) throw invalidCursor();

  const own = await ownChanges(deps.journal, caller.userId, from.own, ownLast, limit, now);
  const entries = own.entries.map((e) => toChangeEntry(e, caller.userId));
  let hasMore = own.more;
  let resend = from.grants !== tagOfGrants;
  const positions: Record<string, number> = {};
  for (const owner of owners) {
    const step = await ownerChanges(deps.journal, owner, from, limit - entries.length, now);
    positions[owner.tag] = step.position;
    entries.push(...step.entries);
    hasMore ||= step.more;
    resend ||= step.jumped;
  }
  const cursor = encodeFeedCursor(caller, { own: own.position, owners: positions, grants: tagOfGrants });
  return { entries, cursor, hasMore, ...(resend ? { shared: await sharedFileEntries(deps.files, grants) } : {}) };
}

/** Every grant the caller holds (one page is enough for all but the most shared-with users). */
async function allGrants(shares: ShareRepository, recipientId: string): Promise<ShareRecord[]> {
  const grants: ShareRecord[] = [];
  let startKey: Parameters<ShareRepository['forRecipient']>[2];
  do {
    const page = await shares.forRecipient(recipientId, LIMITS.listPageMax, startKey);
    grants.push(...page.records);
    startKey = page.lastKey;
  } while (startKey !== undefined);
  return grants;
}

function sharingOwners(grants: readonly ShareRecord[], seqs: ReadonlyMap<string, number>): Owner[] {
  const byOwner = new Map<string, Map<string, ShareRecord>>();
  for (const grant of grants) {
    const files = byOwner.get(grant.ownerId) ?? new Map<string, ShareRecord>();
    files.set(grant.fileId, grant);
    byOwner.set(grant.ownerId, files);
  }
  return [...byOwner.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([ownerId, files]) => ({ ownerId, tag: ownerTag(ownerId), grants: files, lastSeq: seqs.get(ownerId) ?? 0 }));
}

const expired = (entry: StoredJournalEntry, now: Date) => entry.ttl !== undefined && entry.ttl * 1000 <= now.getTime();

/** True when `entries` continue `after` without a hole and none of them is past its retention. */
const continues = (entries: readonly StoredJournalEntry[], after: number, now: Date) =>
  entries.every((e, i) => e.seq === after + 1 + i && !expired(e, now));

/** The caller's own entries after `after`; CURSOR_RESET when the ones right after it are gone. */
async function ownChanges(journal: JournalRepository, ownerId: string, after: number, lastSeq: number, limit: number, now: Date) {
  if (after === lastSeq) return { entries: [], more: false, position: after };
  const page = await journal.readAfter(ownerId, after, limit);
  // The counter said there is more after `after`, so an empty read means the entries expired too.
  if (page.entries.length === 0 || !continues(page.entries, after, now)) throw cursorReset();
  return { entries: page.entries, more: page.more, position: page.entries[page.entries.length - 1].seq };
}

interface OwnerStep {
  readonly entries: ChangeEntry[];
  readonly position: number;
  readonly more: boolean;
  /** The position jumped to the owner's newest entry: the client needs the shared set instead. */
  readonly jumped: boolean;
}

async function ownerChanges(journal: JournalRepository, owner: Owner, from: FeedPosition, room: number, now: Date): Promise<OwnerStep> {
  const at = from.owners[owner.tag];
  const jump = { entries: [], position: owner.lastSeq, more: false, jumped: true };
  // New to this cursor (a first share from this owner): the grant tag changed, the snapshot covers it.
  if (at === undefined || at > owner.lastSeq || owner.lastSeq - at > OWNER_JUMP_ENTRIES) return jump;
  if (at === owner.lastSeq) return { entries: [], position: at, more: false, jumped: false };
  if (room <= 0) return { entries: [], position: at, more: true, jumped: false };
  const page = await journal.readAfter(owner.ownerId, at, room);
  if (page.entries.length === 0 || !continues(page.entries, at, now)) return jump;
  const shared = page.entries.flatMap((e) => {
    const grant = isFolderEntry(e) ? undefined : owner.grants.get(e.fileId);
    return grant ? [toChangeEntry(e, owner.ownerId, grant)] : [];
  });
  // A folder change moved on the revisions of the owner's files under it, shared ones among them: the
  // snapshot of the shared set says which (their names and places in the recipient's view stay).
  const folderChange = page.entries.some(isFolderEntry);
  return { entries: shared, position: page.entries[page.entries.length - 1].seq, more: page.more, jumped: folderChange };
}

function toChangeEntry(e: StoredJournalEntry, ownerId: string, grant?: ShareRecord): ChangeEntry {
  if (isFolderEntry(e)) return { seq: e.seq, type: e.type, ownerId, path: e.path, ...(e.fromPath === undefined ? {} : { fromPath: e.fromPath }), at: e.at };
  return {
    seq: e.seq,
    type: e.type,
    fileId: e.fileId,
    ownerId,
    path: e.path,
    name: baseName(e.path),
    ...(e.fromPath === undefined ? {} : { fromPath: e.fromPath }),
    revision: e.revision,
    size: e.size,
    contentHash: e.contentHash,
    at: e.at,
    ...(grant ? { shared: { owner: { userId: grant.ownerId, email: grant.ownerEmail }, role: grant.role } } : {}),
  };
}
