/**
 * Change-feed cursors: opaque to clients, checked on the way back in. A cursor holds the caller's
 * position in its own journal, a position in the journal of each owner sharing files with the
 * caller (keyed by a short tag of the owner id, to keep cursors small), and a tag of the set of
 * grants the client was last told about, so a share or revoke since then is noticed.
 */
import { createHash } from 'node:crypto';
import type { Caller } from '@shared/identity';
import { invalidCursor } from '@shared/errors';
import { decodeCursor, encodeCursor } from './paging';

export interface FeedPosition {
  /** Last sequence number of the caller's journal already delivered. */
  readonly own: number;
  /** Last sequence number delivered from each sharing owner's journal, by {@link ownerTag}. */
  readonly owners: Readonly<Record<string, number>>;
  /** Tag of the grants (files shared with the caller and roles) the client last received. */
  readonly grants: string;
}

interface CursorJson {
  v: 1;
  /** Tag of the caller: a cursor handed to one user is refused for another. */
  u: string;
  s: number;
  g: string;
  o: Record<string, number>;
}

const tag = (value: string, length: number) => createHash('sha256').update(value).digest('base64url').slice(0, length);

/** 66 bits of an owner id: no two owners sharing with one user collide in practice. */
export const ownerTag = (ownerId: string): string => tag(`owner:${ownerId}`, 11);

/** Tag of a set of grants, independent of their order. */
export const grantsTag = (grants: readonly { fileId: string; ownerId: string; role: string }[]): string =>
  tag(grants.map((g) => `${g.fileId}:${g.ownerId}:${g.role}`).sort().join('\n'), 16);

const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isCursorOf(caller: Caller) {
  return (value: unknown): value is CursorJson => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const c = value as Record<string, unknown>;
    if (c.v !== 1 || c.u !== tag(`user:${caller.userId}`, 11) || !isSeq(c.s) || typeof c.g !== 'string') return false;
    if (typeof c.o !== 'object' || c.o === null || Array.isArray(c.o)) return false;
    return Object.values(c.o).every(isSeq);
  };
}

export function encodeFeedCursor(caller: Caller, position: FeedPosition): string {
  const json: CursorJson = { v: 1, u: tag(`user:${caller.userId}`, 11), s: position.own, g: position.grants, o: { ...position.owners } };
  return encodeCursor(json);
}

export function decodeFeedCursor(caller: Caller, cursor: string): FeedPosition {
  const json = decodeCursor(cursor, isCursorOf(caller));
  if (Object.keys(json).length !== 5) throw invalidCursor();
  return { own: json.s, owners: json.o, grants: json.g };
}
