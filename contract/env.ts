/**
 * Names of the environment variables the Lambdas read. lib/ sets them (through the same construct
 * method that grants access), lambdas/ reads them, the local runtime resolves them from the template.
 */
export const ENV = {
  fileTable: 'FILE_METADATA_TABLE',
  sharedTable: 'SHARED_FILES_TABLE',
  bucket: 'CHUNK_BUCKET',
  downloadBaseUrl: 'DOWNLOAD_BASE_URL',
  signingKeyPairId: 'CLOUDFRONT_KEY_PAIR_ID',
  signingKeySecretId: 'CLOUDFRONT_SIGNING_KEY_SECRET',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  /** The app client the web app signs in with (its own: shorter sessions than the CLI's). */
  userPoolWebClientId: 'USER_POOL_WEB_CLIENT_ID',
  /** Cognito endpoint override; the local runtime sets it to cognito-local. */
  cognitoEndpoint: 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
  /**
   * "true" where the S3 implementation verifies a PUT's x-amz-checksum-sha256 itself (AWS S3): the
   * tracker then trusts the checksum the store kept instead of reading every chunk back. Unset where
   * the store ignores the header (radosgw 16, s3rver), which the local runtime says.
   */
  storeVerifiesChecksums: 'S3_VERIFIES_CHECKSUMS',
  /** "true" where the S3 endpoint needs path-style addressing (emulators, LocalStack). */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  /** Days deleted files and replaced versions are kept (the stack's retentionDays). */
  retentionDays: 'RETENTION_DAYS',
  /** The collector's per-namespace function, which its scheduled function invokes once per namespace. */
  collectorNamespaceFunction: 'COLLECTOR_NAMESPACE_FUNCTION',
  /** The push channel's WebSocket URL (wss://...), announced by GET /health. */
  pushUrl: 'PUSH_URL',
  /** The push channel's management endpoint (https://.../<stage>), where hints are posted to connections. */
  pushCallbackUrl: 'PUSH_CALLBACK_URL',
  /**
   * Caps, in ms, how long one batched request (upload or download batch) works before answering the
   * files left BATCH_DEFERRED. Unset in the stack: the invocation's remaining time decides. The local
   * runtime passes TOTE_LOCAL_BATCH_BUDGET_MS on as this (tests force a tiny budget with it).
   */
  batchBudgetMs: 'BATCH_BUDGET_MS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
