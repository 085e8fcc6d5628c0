/**
 * How long what a user replaced or deleted stays restorable: one setting, in days (the stack's
 * retentionDays, RETENTION_DAYS in each function that needs it). Pure rules, shared by the API
 * (expiry times it shows) and the collector (what it purges).
 *
 * Versions: a file's revisions form runs, each starting at a revision that brought content (an upload
 * or a restore) and holding the moves and renames that followed it. A run is superseded when the next
 * one starts; it stays restorable for the retention period after that, then the whole run goes. The
 * file's current run is never purged while the file exists (in the trash too). Trash: a deleted file
 * stays for the retention period after its delete.
 */
import type { RevisionState, TrashItem } from '@repo/items';

const DAY_MS = 24 * 3600 * 1000;

export interface Retention {
  readonly days: number;
}

const after = (iso: string, retention: Retention) => new Date(Date.parse(iso) + retention.days * DAY_MS);

/** When a trashed file is deleted for good. */
export const trashExpiry = (entry: Pick<TrashItem, 'deletedAt' | 'retainedSince'>, retention: Retention): Date =>
  after(entry.retainedSince ?? entry.deletedAt, retention);

/** When a file deleted at `deletedAt` leaves the trash for good. */
export const restorableUntil = (deletedAt: string, retention: Retention): Date => after(deletedAt, retention);

export interface Run {
  /** The revision that brought the run's content. */
  readonly content: number;
  /** Its revisions, oldest first. */
  readonly revisions: readonly RevisionState[];
  /** When the next run started; undefined for the current one. */
  readonly supersededAt?: string;
}

/** A file's revisions (any order) grouped into runs, oldest first. */
export function contentRuns(revisions: readonly RevisionState[]): Run[] {
  const sorted = [...revisions].sort((a, b) => a.revision - b.revision);
  const groups = new Map<number, RevisionState[]>();
  for (const r of sorted) groups.set(r.contentRevision, [...(groups.get(r.contentRevision) ?? []), r]);
  const contents = [...groups.keys()].sort((a, b) => a - b);
  return contents.map((content, i) => {
    const next = contents[i + 1];
    return {
      content,
      revisions: groups.get(content)!,
      ...(next === undefined ? {} : { supersededAt: groups.get(next)![0].updatedAt }),
    };
  });
}

/** When a run stops being restorable; undefined for the current one. */
export const runExpiry = (run: Run, retention: Retention): Date | undefined =>
  run.supersededAt === undefined ? undefined : after(run.supersededAt, retention);

/** The revision numbers past retention at `now`: every revision of each superseded run that expired. */
export function expiredRevisions(revisions: readonly RevisionState[], now: Date, retention: Retention): number[] {
  return contentRuns(revisions)
    .filter((run) => {
      const expiry = runExpiry(run, retention);
      return expiry !== undefined && expiry.getTime() <= now.getTime();
    })
    .flatMap((run) => run.revisions.map((r) => r.revision));
}
