/**
 * Environment every handler reads at module scope. Imported first by each test file, so it is in
 * place before any handler module loads (config fails fast when a variable is missing). Also the
 * user pool the account check of every authorized handler asks: every account is active there,
 * unless a test mocks the pool itself (mockClient replaces this stub).
 */
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';

process.env.FILE_METADATA_TABLE = 'FileMetadata';
process.env.SHARED_FILES_TABLE = 'SharedFiles';
process.env.CHUNK_BUCKET = 'chunk-bucket';
process.env.DOWNLOAD_BASE_URL = 'https://d111111abcdef8.cloudfront.net';
process.env.CLOUDFRONT_KEY_PAIR_ID = 'K2JCJMDEHXQW5F';
process.env.CLOUDFRONT_SIGNING_KEY_SECRET = 'tote/cloudfront-signing-key';
process.env.USER_POOL_ID = 'eu-west-1_example';
process.env.USER_POOL_CLIENT_ID = 'client-id-example';
process.env.RETENTION_DAYS = '30';
process.env.COLLECTOR_NAMESPACE_FUNCTION = 'collector-namespace';
process.env.USER_POOL_WEB_CLIENT_ID = 'web-client-id-example';
process.env.AWS_REGION = 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLEEXAMPLE00';
process.env.AWS_SECRET_ACCESS_KEY = 'example-secret-access-key';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.PUSH_CALLBACK_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1';

mockClient(CognitoIdentityProviderClient).on(AdminGetUserCommand).resolves({ Username: 'user', Enabled: true, UserStatus: 'CONFIRMED', UserAttributes: [] });
