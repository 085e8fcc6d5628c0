/**
 * The one access key every local service accepts. s3rver only admits requests signed with its built-in
 * account key; DynamoDB Local (-sharedDb), cognito-local and the Secrets Manager stand-in accept any.
 * A real S3 implementation plugged in later brings its own key through the S3 backend description.
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
