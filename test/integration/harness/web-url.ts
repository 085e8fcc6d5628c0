import { TARGET_ENV } from './target-env';
import type { Target } from './target';

/** The web app under test: TOTE_WEB_URL for a deployment, else the local runtime's web distribution. */
export function webUrlOf(target: Target): string {
  const url = process.env[TARGET_ENV.webUrl] ?? target.local?.webUrl;
  if (!url) throw new Error(`no web app to test: set ${TARGET_ENV.webUrl} next to ${TARGET_ENV.apiUrl}`);
  return url.replace(/\/+$/, '');
}
