/** Every size, count and expiry the service and the client agree on. One place, imported by both. */
const MiB = 1024 * 1024;

export const LIMITS = {
  /** Content-defined chunking bounds (FastCDC-style). */
  chunkMinBytes: 1 * MiB,
  chunkAvgBytes: 4 * MiB,
  chunkMaxBytes: 16 * MiB,
  /** Largest file accepted; the product promises at least 50 GB. */
  maxFileBytes: 64 * 1024 * MiB,
  /** Chunks one upload may list; about 4 MB of JSON, under Lambda's 6 MB payload limit. */
  maxChunksPerUpload: 40_000,
  /** Manifests with more chunks than this are kept in S3 instead of the DynamoDB item (400 KB limit). */
  inlineManifestMaxChunks: 1_500,
  /** Presigned PUT URLs handed out per response; ask again for more. */
  uploadUrlBatch: 500,
  /** Files one batched start, commit or download may name (many small files cost one round trip per thousand). */
  batchMaxFiles: 1_000,
  /**
   * Chunks one batched start may list across its files. Every missing one gets a URL in the answer,
   * and a presigned URL made with Lambda's role credentials carries a session token (about 1.5 KB
   * each), so this keeps the answer well under Lambda's 6 MB response limit.
   */
  batchMaxChunks: 2_000,
  /** Chunks (with signed URLs) per download page. */
  downloadPageChunks: 500,
  /**
   * Chunks of each file's first page in a batched download: small files fit whole, larger ones go on
   * with GET /files/{fileId}/download; a thousand files then sign at most 2,000 URLs (batchMaxChunks).
   */
  downloadBatchPageChunks: 2,
  /** Folder listing page size bounds. */
  listPageDefault: 200,
  listPageMax: 1_000,
  /** Recipients one share request may name (a share is one transaction, at most 100 items). */
  maxShareRecipients: 50,
  maxEmailBytes: 254,
  maxPathBytes: 4_096,
  /** Segments in a path (folders plus the name): a commit creates every ancestor folder in one transaction (100 items max). */
  maxPathDepth: 64,
  maxNameBytes: 255,
  /** Presigned S3 PUT URL lifetime. */
  uploadUrlTtlSeconds: 15 * 60,
  /** CloudFront signed URL lifetime; also how long a revoked reader keeps a URL already issued. */
  downloadUrlTtlSeconds: 5 * 60,
  /**
   * Access-token lifetime (Cognito's minimum): API Gateway checks only a token's signature and expiry,
   * so this bounds how long a token outlives its account in any case. The client refreshes ahead of it.
   */
  accessTokenMinutes: 5,
  /**
   * How long an API function trusts what it last learned of an account (a pool lookup, or a token
   * issued since) before asking the user pool again: a user deleted or disabled in the pool is refused
   * on every route within this time.
   */
  accountCheckSeconds: 60,
  /** Upload sessions not committed within this time are forgotten (DynamoDB TTL). */
  uploadSessionTtlSeconds: 7 * 24 * 3600,
  /**
   * Change journal entries expire after this (DynamoDB TTL); a feed cursor older than that is
   * answered 410 CURSOR_RESET and the client lists its folders again.
   */
  journalRetentionSeconds: 30 * 24 * 3600,
  /** Change-feed cursors: one position per owner sharing files with the caller, so they can grow. */
  maxCursorBytes: 6_144,
  /**
   * How long deleted files stay in the trash and replaced versions stay restorable, in days. The
   * default of the stack's `retentionDays` prop, which is the one setting (see lib/tote-stack.ts).
   */
  retentionDays: 30,
  /**
   * The chunk collector's grace period: a stored chunk or manifest is deleted only when nothing
   * references it and nothing has started relying on it for this long (lambdas/domain/gc/README.md).
   */
  gcGraceSeconds: 24 * 3600,
  /**
   * Packs (lambdas/README.md, "Packs"): a chunk of at most this many plaintext bytes may be stored as a
   * blob inside a pack; the client packs files that are one such chunk (the chunker's minimum: every
   * file below it is one chunk).
   */
  packBlobMaxBytes: 1 * MiB,
  /**
   * Where the client closes a pack (small enough that the first packs of a batch are PUT and tracked
   * while the next fill), and the most one may hold (a chunk's maximum: the tracker reads a pack in memory).
   */
  packTargetBytes: 1 * MiB,
  packMaxBytes: 16 * MiB,
  /** Distinct blobs in one pack: the tracker registers them all in one invocation. */
  packMaxBlobs: 1_000,
  /** Packs one POST /packs may ask URLs for. */
  packUrlBatch: 64,
  /** Longest device name a client may send with its changes (DEVICE_HEADER). */
  maxDeviceNameBytes: 64,
} as const;

/** S3 key layout: one namespace (owner) per prefix so dedup never crosses users. */
export const S3_LAYOUT = {
  chunkPrefix: 'chunks/',
  manifestPrefix: 'manifests/',
  /**
   * Chunks someone other than the owner uploads into the owner's namespace (an editor's revision)
   * land here first, under the uploader's own prefix: the tracker verifies them, records that the
   * uploader holds those bytes, and moves them into place (see lambdas/domain/staged-chunks.ts).
   */
  stagingPrefix: 'staging/',
  /** Packs of small blobs, named by the SHA-256 of the pack's bytes (contract/pack-format.ts). */
  packPrefix: 'packs/',
  chunkKey: (ownerId: string, hash: string) => `chunks/${ownerId}/${hash}`,
  packKey: (ownerId: string, packHash: string) => `packs/${ownerId}/${packHash}`,
  stagedKey: (ownerId: string, uploaderId: string, hash: string) => `staging/${ownerId}/${uploaderId}/${hash}`,
  manifestKey: (ownerId: string, manifestHash: string) => `manifests/${ownerId}/${manifestHash}.json`,
  /** Parses a chunk key; null when the key is not shaped like one. */
  parseChunkKey: (key: string): { ownerId: string; hash: string } | null => {
    const m = /^chunks\/([A-Za-z0-9-]{1,64})\/([0-9a-f]{64})$/.exec(key);
    return m ? { ownerId: m[1], hash: m[2] } : null;
  },
  /** Parses a pack key; null when the key is not shaped like one. */
  parsePackKey: (key: string): { ownerId: string; hash: string } | null => {
    const m = /^packs\/([A-Za-z0-9-]{1,64})\/([0-9a-f]{64})$/.exec(key);
    return m ? { ownerId: m[1], hash: m[2] } : null;
  },
  /** Parses a staged chunk key; null when the key is not shaped like one. */
  parseStagedKey: (key: string): { ownerId: string; uploaderId: string; hash: string } | null => {
    const m = /^staging\/([A-Za-z0-9-]{1,64})\/([A-Za-z0-9-]{1,64})\/([0-9a-f]{64})$/.exec(key);
    return m ? { ownerId: m[1], uploaderId: m[2], hash: m[3] } : null;
  },
  /** S3 user metadata naming how a chunk object is compressed (absent means none). */
  compressionMetadataKey: 'tote-compression',
} as const;

/** Where the client looks for the service when no endpoint is configured: `npm start`'s API. */
export const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:4080';
