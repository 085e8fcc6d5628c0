/** Path checks the service adds to the shared rules: a file path must name something below the root. */
import { normalizePath } from '@contract/paths';
import { invalidPath } from '@shared/errors';

export function filePath(input: string): string {
  const path = normalizePath(input);
  if (path === '/') throw invalidPath('path must name a file, not the root folder');
  return path;
}

export function folderPath(input: string): string {
  const path = normalizePath(input);
  if (path === '/') throw invalidPath('path must name a folder below the root');
  return path;
}
