/**
 * Request and response shapes of the HTTP API, as TypeBox schemas: the JSON Schema validates bodies
 * in the handlers (middy validator) and the static types are shared with the client.
 */
import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { LIMITS } from './limits';

export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex' });
const RemotePath = Type.String({ minLength: 1, maxLength: LIMITS.maxPathBytes });
const Revision = Type.Integer({ minimum: 0, description: '0 means "no file at this path yet"' });
const FileId = Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' });

export const Compression = Type.Union([Type.Literal('none'), Type.Literal('gzip')]);
export type Compression = Static<typeof Compression>;

export const ChunkRef = Type.Object(
  {
    hash: Sha256Hex,
    size: Type.Integer({ minimum: 1, maximum: LIMITS.chunkMaxBytes, description: 'plaintext bytes' }),
  },
  { additionalProperties: false },
);
export type ChunkRef = Static<typeof ChunkRef>;

// ---- uploads ----

/** RFC 9110 `tchar`: the characters of a token. */
const TCHAR = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
/**
 * A media type as RFC 9110 defines it, `type/subtype` with optional `; name=value` parameters whose
 * values are tokens (quoted-string values are refused: no file type needs them). No CR, LF or other
 * control character can appear, so a stored type is safe to send back as a header value.
 */
const MEDIA_TYPE_PATTERN = `^${TCHAR}+/${TCHAR}+(?: *; *${TCHAR}+=${TCHAR}+)*$`;
export const MediaType = Type.String({ minLength: 3, maxLength: 255, pattern: MEDIA_TYPE_PATTERN, description: 'type/subtype, e.g. text/plain; charset=utf-8' });

/** What an upload carries, wherever it goes. */
const UploadContent = {
  size: Type.Integer({ minimum: 0, maximum: LIMITS.maxFileBytes }),
  contentHash: Sha256Hex,
  mimeType: Type.Optional(MediaType),
  chunks: Type.Array(ChunkRef, { maxItems: LIMITS.maxChunksPerUpload }),
  /** How the client means to store the chunks the answer's URLs are for (signed into them); default none. */
  compression: Type.Optional(Compression),
};

/** POST /uploads: content for a path of the caller's own namespace. */
export const StartUploadRequest = Type.Object({ path: RemotePath, ...UploadContent }, { additionalProperties: false });
export type StartUploadRequest = Static<typeof StartUploadRequest>;

/**
 * POST /files/{fileId}/uploads: content for the next revision of an existing file, wherever it is
 * now. The file's owner or an editor of a file shared with them; the chunks go to the owner's namespace.
 */
export const StartRevisionUploadRequest = Type.Object(UploadContent, { additionalProperties: false });
export type StartRevisionUploadRequest = Static<typeof StartRevisionUploadRequest>;

/**
 * POST /uploads and POST /files/{fileId}/uploads take either of two forms of the start:
 *  - closed: `contentHash` and every chunk of the file, known before anything is sent (the form
 *    above, the only one the batch endpoint takes);
 *  - open: `sessionKey` instead of `contentHash`, and only the chunks known so far, in file order
 *    from the first (maybe none). The client asks POST /uploads/{uploadId}/urls for the chunks it
 *    cuts next, sending each as soon as it is cut and hashed, and commits with the whole manifest
 *    (CommitRequest.manifest), which makes the session the closed one it would have been. So a file
 *    is read once and its hashing overlaps its sending (client/README.md, "Upload protocol").
 */
const StartForms = {
  ...UploadContent,
  contentHash: Type.Optional(Sha256Hex),
  /** Picked by the client (128 random bits, hex) for one open upload; the same key again answers the same session. */
  sessionKey: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
};
export const StartUploadBody = Type.Object({ path: RemotePath, ...StartForms }, { additionalProperties: false });
export type StartUploadBody = Static<typeof StartUploadBody>;
export const StartRevisionUploadBody = Type.Object(StartForms, { additionalProperties: false });
export type StartRevisionUploadBody = Static<typeof StartRevisionUploadBody>;
/** An open start (for a path, or without `path` for a file by id). */
export type OpenUploadRequest = Omit<StartUploadBody, 'contentHash' | 'sessionKey'> & { readonly sessionKey: string };
export type OpenRevisionUploadRequest = Omit<OpenUploadRequest, 'path'>;

export const PresignedPut = Type.Object({
  hash: Sha256Hex,
  url: Type.String(),
  /** Headers the PUT must carry exactly as given (they are part of the signature). */
  headers: Type.Record(Type.String(), Type.String()),
});
export type PresignedPut = Static<typeof PresignedPut>;

export const StartUploadResponse = Type.Object({
  uploadId: Type.String(),
  /** Hashes of chunks the namespace does not hold yet; only these need sending. */
  missing: Type.Array(Sha256Hex),
  /** Presigned URLs for the first missing chunks (up to LIMITS.uploadUrlBatch). */
  urls: Type.Array(PresignedPut),
  /** The file currently at the path, if any: commit with its revision to replace it. */
  existing: Type.Union([Type.Object({ fileId: Type.String(), revision: Type.Integer() }), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time', description: 'When the presigned URLs in `urls` expire' }),
});
export type StartUploadResponse = Static<typeof StartUploadResponse>;

export const UploadUrlsRequest = Type.Object(
  {
    /** Chunks of the session's manifest; for an open session, chunks the client has cut (its manifest comes with the commit). */
    hashes: Type.Array(Sha256Hex, { minItems: 1, maxItems: LIMITS.uploadUrlBatch }),
    compression: Type.Optional(Compression),
    /**
     * Storage answered 412 for some of these (or took them without the service registering them):
     * check what it holds under their keys before signing. Without it no object is read, which keeps
     * the URLs of a fresh upload cheap.
     */
    verify: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UploadUrlsRequest = Static<typeof UploadUrlsRequest>;

export const UploadUrlsResponse = Type.Object({ urls: Type.Array(PresignedPut), missing: Type.Array(Sha256Hex) });
export type UploadUrlsResponse = Static<typeof UploadUrlsResponse>;

/** The whole manifest of an open upload, sent with its commit (and refused for a closed one, which declared it at the start). */
export const CommitManifest = Type.Object(
  { contentHash: Sha256Hex, chunks: Type.Array(ChunkRef, { maxItems: LIMITS.maxChunksPerUpload }) },
  { additionalProperties: false },
);
export type CommitManifest = Static<typeof CommitManifest>;

export const CommitRequest = Type.Object(
  { expectedRevision: Revision, manifest: Type.Optional(CommitManifest) },
  { additionalProperties: false },
);
export type CommitRequest = Static<typeof CommitRequest>;

/** Path parameters of the upload routes; ids are the hex the API hands out. */
export const UploadIdParams = Type.Object({ uploadId: Type.String({ pattern: '^[0-9a-f]{32}$' }) });

// ---- batched uploads (many small files) ----

/** Why one file of a batch failed: the error body's `error`, per file. */
export const BatchItemError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type BatchItemError = Static<typeof BatchItemError>;

/** One answer per item of a batch, in request order: what the item's own request would answer, or its error. */
function batchResults<P extends TProperties>(ok: P) {
  return Type.Array(Type.Union([Type.Object({ ok: Type.Literal(true), ...ok }), Type.Object({ ok: Type.Literal(false), error: BatchItemError })]));
}

/**
 * POST /upload-batches: starts (or resumes) up to LIMITS.batchMaxFiles uploads to paths of the
 * caller's namespace, with at most LIMITS.batchMaxChunks chunks in all. Each is the same as its own
 * POST /uploads, except that every missing chunk gets its URL in this one answer.
 */
export const BatchStartRequest = Type.Object(
  { uploads: Type.Array(StartUploadRequest, { minItems: 1, maxItems: LIMITS.batchMaxFiles }) },
  { additionalProperties: false },
);
export type BatchStartRequest = Static<typeof BatchStartRequest>;

export const BatchStartResponse = Type.Object({ results: batchResults({ upload: StartUploadResponse }) });
export type BatchStartResponse = Static<typeof BatchStartResponse>;

/**
 * POST /upload-batches/commit: commits up to LIMITS.batchMaxFiles sessions, each as its own commit
 * would. A request short of time answers the commits it did not reach BATCH_DEFERRED (untouched: ask
 * again); so does POST /upload-batches for files it did not start.
 */
export const BatchCommitRequest = Type.Object(
  {
    commits: Type.Array(
      Type.Object(
        {
          uploadId: UploadIdParams.properties.uploadId,
          expectedRevision: Revision,
          /** The file an edit revises: the path holding another one (replaced meanwhile) is this commit's REVISION_CONFLICT, whatever its revision. */
          expectedFileId: Type.Optional(FileId),
          /** The pack that carried the upload's blob, if one did: a commit it cannot make says when that pack was rejected (PACK_REJECTED). */
          pack: Type.Optional(Sha256Hex),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: LIMITS.batchMaxFiles },
    ),
  },
  { additionalProperties: false },
);
export type BatchCommitRequest = Static<typeof BatchCommitRequest>;

/** POST /packs: presigned PUTs for packs of the caller's own namespace, named by the SHA-256 of their bytes. */
export const StartPacksRequest = Type.Object(
  {
    packs: Type.Array(
      Type.Object({ hash: Sha256Hex, size: Type.Integer({ minimum: 1, maximum: LIMITS.packMaxBytes }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: LIMITS.packUrlBatch },
    ),
  },
  { additionalProperties: false },
);
export type StartPacksRequest = Static<typeof StartPacksRequest>;

/** One URL per pack asked for, in request order (`hash` is the pack's). */
export const StartPacksResponse = Type.Object({ urls: Type.Array(PresignedPut), expiresAt: Type.String({ format: 'date-time' }) });
export type StartPacksResponse = Static<typeof StartPacksResponse>;

// ---- metadata ----

/** Path parameters of the /files/{fileId} routes. */
export const FileIdParams = Type.Object({ fileId: FileId });


export const FileStatus = Type.Union([Type.Literal('uploaded'), Type.Literal('deleted')]);

export const FileMetadata = Type.Object({
  fileId: Type.String(),
  ownerId: Type.String(),
  path: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  mimeType: Type.String(),
  contentHash: Sha256Hex,
  revision: Type.Integer({ minimum: 1 }),
  status: FileStatus,
  chunkCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type FileMetadata = Static<typeof FileMetadata>;

/**
 * 202 from a commit: every chunk not registered yet is in storage, so the chunk tracker has it in
 * hand; ask again after `retryAfterMs` (Retry-After says the same in whole seconds, but a page cannot
 * read that header across origins). A chunk storage lacks is a 409 CHUNKS_MISSING instead: send it.
 */
export const CommitPending = Type.Object({
  status: Type.Literal('pending'),
  /** Each once, the first thousand (pendingCount is exact). */
  pending: Type.Array(Sha256Hex),
  pendingCount: Type.Integer({ minimum: 1 }),
  retryAfterMs: Type.Integer({ minimum: 1 }),
});
export type CommitPending = Static<typeof CommitPending>;

/** What a commit answers: the file's new revision (200), or that the tracker is still at work (202). */
export const CommitResponse = Type.Union([FileMetadata, CommitPending]);
export type CommitResponse = Static<typeof CommitResponse>;

export const BatchCommitResponse = Type.Object({ results: batchResults({ file: FileMetadata }) });
export type BatchCommitResponse = Static<typeof BatchCommitResponse>;

export const FolderEntry = Type.Union([
  Type.Object({ kind: Type.Literal('folder'), name: Type.String(), path: Type.String() }),
  Type.Object({
    kind: Type.Literal('file'),
    name: Type.String(),
    path: Type.String(),
    fileId: Type.String(),
    size: Type.Integer(),
    revision: Type.Integer(),
    contentHash: Sha256Hex,
    updatedAt: Type.String({ format: 'date-time' }),
  }),
]);
export type FolderEntry = Static<typeof FolderEntry>;

/** Cursors are base64url, as the service hands them out. */
const CURSOR_PATTERN = '^[A-Za-z0-9_-]+$';

/** Query parameters of every paged listing: the cursor a previous page handed out, and the page size. */
const Paging = {
  cursor: Type.Optional(Type.String({ maxLength: 2048, pattern: CURSOR_PATTERN })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
};

export const ListFolderQuery = Type.Object({ path: Type.Optional(RemotePath), ...Paging }, { additionalProperties: false });
export type ListFolderQuery = Static<typeof ListFolderQuery>;

export const ListFolderResponse = Type.Object({
  path: Type.String(),
  entries: Type.Array(FolderEntry),
  /** Present when there are more entries: pass it back as `cursor`. */
  cursor: Type.Optional(Type.String()),
});
export type ListFolderResponse = Static<typeof ListFolderResponse>;

export const LookupPathQuery = Type.Object({ path: RemotePath }, { additionalProperties: false });

// ---- downloads ----

export const DownloadQuery = Type.Object(
  {
    chunkOffset: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
    revision: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
  },
  { additionalProperties: false },
);

export const DownloadChunk = Type.Object({
  index: Type.Integer(),
  hash: Sha256Hex,
  /** Plaintext size and offset in the file. */
  size: Type.Integer(),
  offset: Type.Integer(),
  /** Bytes as stored (after compression) and how to undo it. */
  storedSize: Type.Integer(),
  compression: Compression,
  url: Type.String(),
  /**
   * Present when the chunk is a blob in a pack: `url` is the pack's, and the chunk's stored bytes are
   * this range of it (fetch with an HTTP Range header).
   */
  range: Type.Optional(Type.Object({ offset: Type.Integer({ minimum: 0 }), length: Type.Integer({ minimum: 1 }) })),
});
export type DownloadChunk = Static<typeof DownloadChunk>;

export const DownloadResponse = Type.Object({
  file: FileMetadata,
  chunks: Type.Array(DownloadChunk),
  /** Present when the manifest continues: ask again with `chunkOffset`. */
  nextChunkOffset: Type.Optional(Type.Integer()),
  urlsExpireAt: Type.String({ format: 'date-time' }),
});
export type DownloadResponse = Static<typeof DownloadResponse>;

/** A file of a batched download: by id (own or shared with the caller), or by a path of the caller's namespace. */
export const DownloadBatchItem = Type.Union([
  Type.Object({ fileId: FileIdParams.properties.fileId }, { additionalProperties: false }),
  Type.Object({ path: RemotePath }, { additionalProperties: false }),
]);
export type DownloadBatchItem = Static<typeof DownloadBatchItem>;

/** POST /download-batches: up to LIMITS.batchMaxFiles files' current revisions. */
export const DownloadBatchRequest = Type.Object(
  { files: Type.Array(DownloadBatchItem, { minItems: 1, maxItems: LIMITS.batchMaxFiles }) },
  { additionalProperties: false },
);
export type DownloadBatchRequest = Static<typeof DownloadBatchRequest>;

/**
 * Per file, in request order, what GET /files/{fileId}/download would answer, with at most
 * LIMITS.downloadBatchPageChunks chunks (`nextChunkOffset` continues there), or its error. A file the
 * caller may not read answers NOT_FOUND, exactly as an id that never existed.
 */
export const DownloadBatchResponse = Type.Object({ results: batchResults({ download: DownloadResponse }) });
export type DownloadBatchResponse = Static<typeof DownloadBatchResponse>;

// ---- delete / move ----

export const DeleteQuery = Type.Object(
  { expectedRevision: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })) },
  { additionalProperties: false },
);

export const MoveRequest = Type.Object(
  { toPath: RemotePath, expectedRevision: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export type MoveRequest = Static<typeof MoveRequest>;

// ---- folders ----

export const MakeFolderRequest = Type.Object({ path: RemotePath }, { additionalProperties: false });
export type MakeFolderRequest = Static<typeof MakeFolderRequest>;

export const MoveFolderRequest = Type.Object({ fromPath: RemotePath, toPath: RemotePath }, { additionalProperties: false });
export type MoveFolderRequest = Static<typeof MoveFolderRequest>;

export const DeleteFolderRequest = Type.Object({ path: RemotePath }, { additionalProperties: false });
export type DeleteFolderRequest = Static<typeof DeleteFolderRequest>;

/**
 * What a folder move or delete answers. `done` false (status 202) means the request ran out of its
 * time before the folder was finished: send the same request again to carry on (nothing is lost or
 * doubled; until then the folder answers FOLDER_BUSY to changes inside it).
 */
export const FolderChangeResponse = Type.Object({
  path: Type.String(),
  fromPath: Type.Optional(Type.String()),
  done: Type.Boolean(),
  /** Files moved or put in the trash by this request. */
  files: Type.Integer({ minimum: 0 }),
  /** The trash group of a folder delete: restore it to bring the folder's files back together. */
  trashGroup: Type.Optional(Type.String()),
});
export type FolderChangeResponse = Static<typeof FolderChangeResponse>;

export const MakeFolderResponse = Type.Object({ kind: Type.Literal('folder'), name: Type.String(), path: Type.String() });
export type MakeFolderResponse = Static<typeof MakeFolderResponse>;

// ---- sharing ----

export const ShareRole = Type.Union([Type.Literal('viewer'), Type.Literal('editor')]);
export type ShareRole = Static<typeof ShareRole>;

/**
 * Quotes and backslashes are refused: no real address needs them, and user-pool filters would have to
 * escape them. So are control characters and unpaired surrogates (ajv matches patterns by code point),
 * since an address also keys an invitation.
 */
const EMAIL_CHAR = '[^\\s@"\\\\\\u0000-\\u001f\\u007f-\\u009f\\ud800-\\udfff]';
const Email = Type.String({ minLength: 3, maxLength: LIMITS.maxEmailBytes, pattern: `^${EMAIL_CHAR}+@${EMAIL_CHAR}+$` });

export const ShareRequest = Type.Object(
  {
    emails: Type.Array(Email, { minItems: 1, maxItems: LIMITS.maxShareRecipients }),
    /** Sharing again with someone who already has the file changes their role. */
    role: ShareRole,
  },
  { additionalProperties: false },
);
export type ShareRequest = Static<typeof ShareRequest>;

export const UserRef = Type.Object({ userId: Type.String(), email: Type.String() });
export type UserRef = Static<typeof UserRef>;

/**
 * Someone a file is shared with: an account, or an address invited before it had one (the invitation
 * becomes the account's share when the address signs up). Both look the same, so the list never tells
 * which addresses have accounts.
 */
export const Collaborator = Type.Object({
  /** Names this collaborator of this file, e.g. to revoke; the same before and after the address signs up. */
  collaboratorId: Type.String(),
  /** The address the file was shared with, as the owner typed it. */
  email: Type.String(),
  role: ShareRole,
  /** Who shared it (the owner, today). */
  sharedBy: Type.String(),
  sharedAt: Type.String({ format: 'date-time' }),
  /** The last change of the role (equals sharedAt until the role changes). */
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Collaborator = Static<typeof Collaborator>;

/** A file's collaborators: after PUT, the ones just shared with; after GET, all of them by email. */
export const CollaboratorsResponse = Type.Object({ fileId: Type.String(), collaborators: Type.Array(Collaborator) });
export type CollaboratorsResponse = Static<typeof CollaboratorsResponse>;

/** Path parameters of DELETE /files/{fileId}/shares/{collaboratorId}. */
export const ShareParams = Type.Object({
  fileId: FileIdParams.properties.fileId,
  collaboratorId: Type.String({ pattern: '^[0-9a-f]{32}$' }),
});

export const RevokeResponse = Type.Object({
  fileId: Type.String(),
  collaboratorId: Type.String(),
  /** False when there was no share or invitation to end (revoking is idempotent). */
  revoked: Type.Boolean(),
});
export type RevokeResponse = Static<typeof RevokeResponse>;

export const ListSharedQuery = Type.Object(Paging, { additionalProperties: false });
export type ListSharedQuery = Static<typeof ListSharedQuery>;

/** A file someone shared with the caller, with its current metadata. */
export const SharedFileEntry = Type.Object({
  file: FileMetadata,
  owner: UserRef,
  role: ShareRole,
  sharedAt: Type.String({ format: 'date-time' }),
});
export type SharedFileEntry = Static<typeof SharedFileEntry>;

export const ListSharedResponse = Type.Object({
  entries: Type.Array(SharedFileEntry),
  /** Present when there are more entries: pass it back as `cursor`. */
  cursor: Type.Optional(Type.String()),
});
export type ListSharedResponse = Static<typeof ListSharedResponse>;

// ---- change feed ----

/** GET /changes: no cursor means "from now" (the answer holds a cursor, no entries, and the shared set). */
export const ChangesQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.maxCursorBytes, pattern: CURSOR_PATTERN })),
    limit: Paging.limit,
  },
  { additionalProperties: false },
);
export type ChangesQuery = Static<typeof ChangesQuery>;

export const ChangeType = Type.Union([Type.Literal('put'), Type.Literal('delete'), Type.Literal('move')]);
export type ChangeType = Static<typeof ChangeType>;

/**
 * One journaled change of a file: `put` brings new content (a new file or revision), `move` a new
 * path (`fromPath` the old one), `delete` a tombstone. Size and hash are the file's at `revision`.
 */
export const FileChangeEntry = Type.Object({
  /** Position in its owner's journal (the caller's own, or a sharing owner's). */
  seq: Type.Integer({ minimum: 1 }),
  type: ChangeType,
  fileId: Type.String(),
  ownerId: Type.String(),
  path: Type.String(),
  name: Type.String(),
  fromPath: Type.Optional(Type.String()),
  revision: Type.Integer({ minimum: 1 }),
  size: Type.Integer({ minimum: 0 }),
  contentHash: Sha256Hex,
  at: Type.String({ format: 'date-time' }),
  /** Present when someone else owns the file and shares it with the caller. */
  shared: Type.Optional(Type.Object({ owner: UserRef, role: ShareRole })),
});
export type FileChangeEntry = Static<typeof FileChangeEntry>;

/**
 * One journaled change of a whole folder of the caller's own namespace: `moveFolder` moved everything
 * under `fromPath` to `path` (each file's revision went up by exactly one, its content unchanged);
 * `deleteFolder` put every file under `path` in the trash (one group; each revision up by one) and
 * removed the folder. A device applies it as one rename or one removal of its copy of the folder.
 */
export const FolderChangeEntry = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  type: Type.Union([Type.Literal('moveFolder'), Type.Literal('deleteFolder')]),
  ownerId: Type.String(),
  path: Type.String(),
  fromPath: Type.Optional(Type.String()),
  at: Type.String({ format: 'date-time' }),
});
export type FolderChangeEntry = Static<typeof FolderChangeEntry>;

export const ChangeEntry = Type.Union([FileChangeEntry, FolderChangeEntry]);
export type ChangeEntry = Static<typeof ChangeEntry>;

export const isFolderChange = (entry: ChangeEntry): entry is FolderChangeEntry => entry.type === 'moveFolder' || entry.type === 'deleteFolder';

export const ChangesResponse = Type.Object({
  entries: Type.Array(ChangeEntry),
  /** Where to continue: pass it back as `cursor`, also when `entries` is empty. */
  cursor: Type.String(),
  /** More entries are waiting: ask again at once with `cursor`. */
  hasMore: Type.Boolean(),
  /**
   * Every file shared with the caller, present when that set changed since the cursor (a share, a
   * role change, a revoke, a shared file deleted) and in every answer without a cursor. It replaces
   * whatever the client knew of files shared with it.
   */
  shared: Type.Optional(Type.Array(SharedFileEntry)),
});
export type ChangesResponse = Static<typeof ChangesResponse>;

/**
 * Health is the one unauthenticated route, so it also tells a client where to sign in: the user pool
 * client id is public by design (it is in every browser app), and this spares users from copying it.
 */
export const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  auth: Type.Object({
    region: Type.String(),
    userPoolId: Type.String(),
    userPoolClientId: Type.String(),
    /** The app client the web app signs in with (absent on a service without the web app). */
    webClientId: Type.Optional(Type.String()),
    /** Set only where Cognito is not at its AWS address (the local runtime). */
    cognitoEndpoint: Type.Optional(Type.String()),
  }),
  /** The push channel (contract/push.ts); absent where the service has none, and clients then only poll. */
  push: Type.Optional(Type.Object({ url: Type.String() })),
});
export type HealthResponse = Static<typeof HealthResponse>;

// ---- recovery: versions and trash ----

/** Path parameters of POST /files/{fileId}/versions/{revision}/restore. */
export const RevisionParams = Type.Object({
  fileId: FileIdParams.properties.fileId,
  revision: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }),
});

export const ListVersionsQuery = Type.Object(Paging, { additionalProperties: false });
export type ListVersionsQuery = Static<typeof ListVersionsQuery>;

/** Who made a change: the user (and the email the directory knows for them, when it still does). */
export const ChangedBy = Type.Object({ userId: Type.String(), email: Type.Optional(Type.String()) });
export type ChangedBy = Static<typeof ChangedBy>;

/** One version of a file: a revision that brought content (an upload or a restore). */
export const FileVersion = Type.Object({
  revision: Type.Integer({ minimum: 1 }),
  size: Type.Integer({ minimum: 0 }),
  contentHash: Sha256Hex,
  mimeType: Type.String(),
  /** When this content was committed. */
  createdAt: Type.String({ format: 'date-time' }),
  /** Absent on revisions written before changes recorded their author. */
  changedBy: Type.Optional(ChangedBy),
  /** The device the change came from, as its client named it (DEVICE_HEADER). */
  device: Type.Optional(Type.String()),
  /** The file's content now. */
  current: Type.Boolean(),
  /** This version restored an earlier one. */
  restoredFrom: Type.Optional(Type.Integer({ minimum: 1 })),
  /** When it stops being restorable (absent for the current content, which is kept while the file exists). */
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type FileVersion = Static<typeof FileVersion>;

export const ListVersionsResponse = Type.Object({
  file: FileMetadata,
  /** Newest first. */
  versions: Type.Array(FileVersion),
  /** Present when there are older versions: pass it back as `cursor`. */
  cursor: Type.Optional(Type.String()),
});
export type ListVersionsResponse = Static<typeof ListVersionsResponse>;

export const RestoreVersionRequest = Type.Object(
  { expectedRevision: Type.Optional(Type.Integer({ minimum: 1, description: 'the revision the caller sees as current; another one answers 409' })) },
  { additionalProperties: false },
);
export type RestoreVersionRequest = Static<typeof RestoreVersionRequest>;

/** DELETE /files/{fileId}: the deleted state, and until when the trash keeps it. */
export const DeleteFileResponse = Type.Object({
  ...FileMetadata.properties,
  restorableUntil: Type.String({ format: 'date-time' }),
});
export type DeleteFileResponse = Static<typeof DeleteFileResponse>;

/** Files deleted together (one delete, later a folder delete) share a group and come back together. */
const TrashGroupId = Type.String({ pattern: '^[0-9TZ:.-]{20,30}~[A-Za-z0-9-]{1,64}$' });

/** Someone a file was shared with when it was deleted (shares end at delete and are not restored). */
/** Someone the file was shared with when it was deleted; an invitation to an address without an account has no userId. */
export const FormerShare = Type.Object({ userId: Type.Optional(Type.String()), email: Type.String(), role: ShareRole });
export type FormerShare = Static<typeof FormerShare>;

export const TrashEntry = Type.Object({
  fileId: Type.String(),
  path: Type.String(),
  name: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  contentHash: Sha256Hex,
  /** The revision the delete made. */
  revision: Type.Integer({ minimum: 1 }),
  deletedAt: Type.String({ format: 'date-time' }),
  deletedBy: ChangedBy,
  device: Type.Optional(Type.String()),
  groupId: TrashGroupId,
  /** When the file is deleted for good unless restored first. */
  expiresAt: Type.String({ format: 'date-time' }),
  formerShares: Type.Array(FormerShare),
});
export type TrashEntry = Static<typeof TrashEntry>;

export const ListTrashQuery = Type.Object(Paging, { additionalProperties: false });
export type ListTrashQuery = Static<typeof ListTrashQuery>;

export const ListTrashResponse = Type.Object({
  /** Newest deletion first; files of one group together. */
  entries: Type.Array(TrashEntry),
  cursor: Type.Optional(Type.String()),
});
export type ListTrashResponse = Static<typeof ListTrashResponse>;

const TrashFile = Type.Object({ fileId: FileIdParams.properties.fileId }, { additionalProperties: false });
const TrashGroup = Type.Object({ groupId: TrashGroupId }, { additionalProperties: false });

/** One trashed file, or every file of a group. */
export const RestoreTrashRequest = Type.Union([TrashFile, TrashGroup]);
export type RestoreTrashRequest = Static<typeof RestoreTrashRequest>;

export const RestoredFile = Type.Object({
  file: FileMetadata,
  /** Where it was when deleted; `file.path` differs when that path was taken (`renamed`). */
  fromPath: Type.String(),
  renamed: Type.Boolean(),
  /** Who it was shared with: restoring does not share it again. */
  formerShares: Type.Array(FormerShare),
});
export type RestoredFile = Static<typeof RestoredFile>;

export const RestoreTrashResponse = Type.Object({ results: batchResults({ restored: RestoredFile }) });
export type RestoreTrashResponse = Static<typeof RestoreTrashResponse>;

/** One trashed file, a group, or all of the trash. */
export const PurgeTrashRequest = Type.Union([TrashFile, TrashGroup, Type.Object({ all: Type.Literal(true) }, { additionalProperties: false })]);
export type PurgeTrashRequest = Static<typeof PurgeTrashRequest>;

export const PurgeTrashResponse = Type.Object({
  purged: Type.Integer({ minimum: 0 }),
  /** Purging all stopped at its time budget: ask again for the rest. */
  more: Type.Boolean(),
});
export type PurgeTrashResponse = Static<typeof PurgeTrashResponse>;
