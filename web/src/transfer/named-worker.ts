/**
 * The app's Web Workers, started where index.html says they are: the build names each by its content
 * hash and puts its address in a meta tag (no inline script needed).
 */
import { ToteError } from '../../../client/src/core/errors';

export function namedWorker(meta: string, name: string): Worker {
  const url = document.querySelector<HTMLMetaElement>(`meta[name="${meta}"]`)?.content;
  if (!url) throw new ToteError('UNEXPECTED', `this build of Tote has no ${name} worker`);
  return new Worker(url, { type: 'module', name: `tote-${name}` });
}
