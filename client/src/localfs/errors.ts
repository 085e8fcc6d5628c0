/** File-system failures translated once into coded errors that name the path. */
import { isToteError, ToteError } from '../core/errors';

const MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on device',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
};

export function fsError(thrown: unknown, path: string): ToteError {
  if (isToteError(thrown)) return thrown.about(path);
  const errno = (thrown as NodeJS.ErrnoException | null)?.code ?? '';
  const code = errno === 'ENOENT' ? 'LOCAL_NOT_FOUND' : errno === 'EEXIST' ? 'LOCAL_EXISTS' : 'LOCAL_IO';
  const message = MESSAGES[errno] ?? (thrown instanceof Error ? thrown.message : String(thrown));
  return new ToteError(code, message, { subject: path, cause: thrown });
}

/** Runs a file-system operation, translating its failure. */
export async function onDisk<T>(path: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (thrown) {
    throw fsError(thrown, path);
  }
}
