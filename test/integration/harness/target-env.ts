/**
 * The environment variables that tell the integration suite where the service is. The global setup
 * sets them for the local runtime it starts; set them yourself to run the same suite against another
 * deployment (LocalStack, AWS): see test/integration/README.md.
 */
export const TARGET_ENV = {
  /** Base URL of the HTTP API. Set: use that deployment. Unset: the setup starts a local runtime. */
  apiUrl: 'TOTE_API_URL',
  /** Secrets Manager endpoint holding the CloudFront signing key; unset means the SDK default (AWS). */
  secretsEndpoint: 'TOTE_SECRETS_ENDPOINT',
  /** Secret name of the CloudFront signing private key; default the stack's `tote/cloudfront-signing-key`. */
  signingKeySecret: 'TOTE_SIGNING_KEY_SECRET',
  /** The web app of that deployment (its distribution's URL); the local runtime's is in its JSON. */
  webUrl: 'TOTE_WEB_URL',
  /** Set by the setup when it started a local runtime: its addresses and names as JSON. */
  localRuntime: 'TOTE_LOCAL_RUNTIME_JSON',
} as const;

export const DEFAULT_SIGNING_KEY_SECRET = 'tote/cloudfront-signing-key';
