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
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
