/**
 * Paged listings: the page size a client may ask for, and cursors that are opaque to clients yet
 * checked on the way back in, so a forged cursor, or one from another listing or user, is a 400.
 */
import { LIMITS } from '@contract/limits';
import { invalidCursor, validationFailed } from '@shared/errors';

export function pageSize(limit: string | undefined): number {
  if (limit === undefined) return LIMITS.listPageDefault;
  const n = Number(limit);
  if (n < 1 || n > LIMITS.listPageMax) throw validationFailed(`query.limit must be between 1 and ${LIMITS.listPageMax}`, { field: 'query.limit' });
  return n;
}

export function encodeCursor(key: object): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The position a cursor stands for, if `belongs` accepts it as one of this listing's. Only the exact
 * text encodeCursor wrote is one: base64url decoding skips characters it does not know, so without
 * the round trip a cursor with anything added would still pass.
 */
export function decodeCursor<K>(cursor: string, belongs: (key: unknown) => key is K): K {
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) throw invalidCursor();
  let key: unknown;
  try {
    key = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!belongs(key)) throw invalidCursor();
  return key;
}
