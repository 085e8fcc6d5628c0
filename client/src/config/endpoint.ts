/** Which service the client talks to: --endpoint, then TOTE_ENDPOINT, then the login's, then the local runtime. */
import { DEFAULT_LOCAL_ENDPOINT } from '@contract/limits';
import { ToteError } from '../core/errors';

export interface EndpointSources {
  readonly flag?: string;
  readonly env?: string;
  readonly config?: string;
}

export function resolveEndpoint(sources: EndpointSources): string {
  const chosen = [sources.flag, sources.env, sources.config].find((v) => v !== undefined && v.trim() !== '');
  return normalizeEndpoint(chosen ?? DEFAULT_LOCAL_ENDPOINT);
}

/** An http(s) base URL without trailing slashes, so `${endpoint}${route}` is always right. */
export function normalizeEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ToteError('USAGE', `endpoint "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ToteError('USAGE', `endpoint "${value}" must be http or https`);
  if (url.search || url.hash) throw new ToteError('USAGE', `endpoint "${value}" must not have a query or fragment`);
  return url.toString().replace(/\/+$/, '');
}
