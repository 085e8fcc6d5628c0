/**
 * How the web app is served, wherever it is (CloudFront in AWS, the local runtime's web edge): its
 * Content-Security-Policy and how long each kind of file may be cached. The CDK stack and the local
 * runtime both build the policy here, each with the hosts the browser must reach there.
 */

export interface WebConnectSources {
  /** The HTTP API's base URL. */
  readonly api: string;
  /** Where presigned chunk PUTs go (the chunk bucket's endpoint). */
  readonly storage: string;
  /** Where chunk downloads come from (the chunk distribution). */
  readonly downloads: string;
  /** The Cognito endpoint the app signs in with. */
  readonly auth: string;
}

/**
 * Scripts, styles, workers and WebAssembly from the app's own origin only; no inline code, no eval,
 * no plugins, no framing. 'wasm-unsafe-eval' lets the hash worker compile hash-wasm's SHA-256 module;
 * it does not allow eval of JavaScript.
 */
export function webContentSecurityPolicy(connect: WebConnectSources): string {
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.api} ${connect.storage} ${connect.downloads} ${connect.auth}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Cache-Control per published file: hashed assets forever, the entry page and config never. */
export function webCacheControl(file: string): string {
  return file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The file the app reads its API address from, beside index.html. */
export const WEB_CONFIG_FILE = 'config.json';
