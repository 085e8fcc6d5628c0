/**
 * FileMetadata single-table layout. Table keys: `pk` (S), `sk` (S); sparse GSI `gsi1` on
 * `gsi1pk`/`gsi1sk` for folder listings; TTL attribute `ttl` (epoch seconds).
 *
 * | item            | pk                     | sk                    | gsi1pk                      | gsi1sk       |
 * |-----------------|------------------------|-----------------------|-----------------------------|--------------|
 * | file (current)  | FILE#<fileId>          | META                  |                             |              |
 * | file revision   | FILE#<fileId>          | REV#<rev 10 digits>   |                             |              |
 * | path entry      | NS#<ownerId>           | PATH#<pathKey>        | DIR#<ownerId>#<parentKey>   | <nameKey>    |
 * | journal counter | NS#<ownerId>           | SEQ                   |                             |              |
 * | journal entry   | JRNL#<ownerId>         | <seq 12 digits>       |                             |              |
 * | chunk           | CHUNKS#<ownerId>       | <sha256>              |                             |              |
 * | manifest object | CHUNKS#<ownerId>       | manifest#<sha256>     |                             |              |
 * | pack object     | CHUNKS#<ownerId>       | pack#<sha256>         |                             |              |
 * | held chunk      | HELD#<ownerId>#<uid>   | <sha256>              |                             |              |
 * | rejected pack   | PACKS#<ownerId>        | <pack sha256>         |                             |              |
 * | upload session  | UPLOAD#<uploadId>      | META                  |                             |              |
 * | trash entry     | TRASH#<ownerId>        | <groupId>#<fileId>    |                             |              |
 * | namespace       | NS#<ownerId>           | GC                    |                             |              |
 * | collector state | GC                     | <name>                |                             |              |
 * | data migration  | MIGRATION#<id>         | STATE                 |                             |              |
 * | migration runs  | MIGRATIONS             | RUNNER                |                             |              |
 * | push connection | CONN#<userId>          | <connectionId>        |                             |              |
 *
 * A held chunk records that user <uid> (not the owner) proved to hold the bytes of a chunk by
 * uploading them into the owner's namespace (domain/staged-chunks.ts); it carries `ttl`.
 * A rejected pack records why the tracker refused a pack (domain/pack-tracker.ts); it carries `ttl`.
 * Journal entries carry `ttl` (LIMITS.journalRetentionSeconds after they were written); push
 * connections carry one too (API Gateway ends every connection within PUSH.maxConnectionSeconds).
 * The table's stream feeds the push notifier, filtered to journal inserts by KEY_PREFIX.journal.
 * A path entry is a folder (`kind = folder`) or points at a file (`kind = file`, `fileId`) and
 * carries the listing summary; tombstoned files lose their path entry, so listings never see them.
 * A deleted file is in the trash: its trash entry is written in the delete's transaction, and a trash
 * group id starts with the deletion time, so the trash lists newest first and a group stays together.
 *
 * The keys-only index `collector` (`gcpk`/`gcsk`) lets the chunk collector find what has no other way in:
 * every namespace (gcpk `NAMESPACES`, gcsk owner id, on the namespace item) and each namespace's
 * upload sessions (gcpk `UPLOADS#<ownerId>`, gcsk upload id).
 */
export const GSI1 = 'gsi1';
export const GC_INDEX = 'collector';
export const TTL_ATTRIBUTE = 'ttl';

/**
 * SharedFiles layout: one item per (recipient, file), the grant; one per (address, file) for an
 * invitation to an address without an account.
 *
 * | item       | pk                  | sk             | gsi1pk (index byFile) | gsi1sk              |
 * |------------|---------------------|----------------|-----------------------|---------------------|
 * | share      | USER#<recipientId>  | FILE#<fileId>  | FILE#<fileId>         | USER#<recipientId>  |
 * | invitation | INVITE#<email>      | FILE#<fileId>  | FILE#<fileId>         | INVITE#<email>      |
 *
 * The table lists what a user can see (and answers "may this user read this file" with one GetItem)
 * and what waits for an address (read when its account is confirmed); the index lists who a file is
 * shared with (collaborators, and the sweep when the file is deleted). `<email>` is lower-cased.
 */
export const SHARED_BY_FILE_INDEX = 'byFile';

/** Partition key prefixes the stream filters of the push notifier match on (lib/constructs/push.ts). */
export const KEY_PREFIX = { journal: 'JRNL#', share: 'USER#', connection: 'CONN#' } as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** What follows `prefix` in a partition key, or undefined when the key is not of that kind. */
export const keyOwner = (pk: string, prefix: (typeof KEY_PREFIX)[keyof typeof KEY_PREFIX]): string | undefined =>
  pk.startsWith(prefix) && pk.length > prefix.length ? pk.slice(prefix.length) : undefined;

export const keys = {
  file: (fileId: string) => ({ pk: `FILE#${fileId}`, sk: 'META' }),
  revision: (fileId: string, revision: number) => ({ pk: `FILE#${fileId}`, sk: `REV#${pad(revision, 10)}` }),
  path: (ownerId: string, pathKey: string) => ({ pk: `NS#${ownerId}`, sk: `PATH#${pathKey}` }),
  dirIndex: (ownerId: string, parentKey: string, nameKey: string) => ({
    gsi1pk: `DIR#${ownerId}#${parentKey}`,
    gsi1sk: nameKey,
  }),
  journalCounter: (ownerId: string) => ({ pk: `NS#${ownerId}`, sk: 'SEQ' }),
  journal: (ownerId: string, seq: number) => ({ pk: `${KEY_PREFIX.journal}${ownerId}`, sk: pad(seq, 12) }),
  chunk: (ownerId: string, hash: string) => ({ pk: `CHUNKS#${ownerId}`, sk: hash }),
  rejectedPack: (ownerId: string, packHash: string) => ({ pk: `PACKS#${ownerId}`, sk: packHash }),
  held: (ownerId: string, uploaderId: string, hash: string) => ({ pk: `HELD#${ownerId}#${uploaderId}`, sk: hash }),
  upload: (uploadId: string) => ({ pk: `UPLOAD#${uploadId}`, sk: 'META' }),
  manifestObject: (ownerId: string, hash: string) => ({ pk: `CHUNKS#${ownerId}`, sk: `manifest#${hash}` }),
  packObject: (ownerId: string, packHash: string) => ({ pk: `CHUNKS#${ownerId}`, sk: `pack#${packHash}` }),
  trash: (ownerId: string, groupId: string, fileId: string) => ({ pk: `TRASH#${ownerId}`, sk: `${groupId}#${fileId}` }),
  namespace: (ownerId: string) => ({ pk: `NS#${ownerId}`, sk: 'GC' }),
  gcState: (name: string) => ({ pk: 'GC', sk: name }),
  namespaceIndex: (ownerId: string) => ({ gcpk: 'NAMESPACES', gcsk: ownerId }),
  sessionIndex: (ownerId: string, uploadId: string) => ({ gcpk: `UPLOADS#${ownerId}`, gcsk: uploadId }),
  migration: (id: string) => ({ pk: `MIGRATION#${id}`, sk: 'STATE' }),
  migrationRunner: () => ({ pk: 'MIGRATIONS', sk: 'RUNNER' }),
  share: (recipientId: string, fileId: string) => ({ pk: `${KEY_PREFIX.share}${recipientId}`, sk: `FILE#${fileId}` }),
  shareIndex: (fileId: string, recipientId: string) => ({ gsi1pk: `FILE#${fileId}`, gsi1sk: `USER#${recipientId}` }),
  invitation: (email: string, fileId: string) => ({ pk: `INVITE#${email.toLowerCase()}`, sk: `FILE#${fileId}` }),
  invitationIndex: (fileId: string, email: string) => ({ gsi1pk: `FILE#${fileId}`, gsi1sk: `INVITE#${email.toLowerCase()}` }),
  connection: (userId: string, connectionId: string) => ({ pk: `${KEY_PREFIX.connection}${userId}`, sk: connectionId }),
} as const;
