/** A JSON document in the config dir: missing means empty, malformed is a coded error naming the file. */
import { readFile } from 'node:fs/promises';
import { ToteError } from '../core/errors';
import { writeFileAtomic } from '../localfs/atomic-write';
import { fsError } from '../localfs/errors';

export async function readJsonFile<T extends object>(path: string, empty: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw fsError(error, path);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as T;
  } catch {
    throw new ToteError('LOCAL_IO', 'is not a valid JSON object; fix or delete it', { subject: path });
  }
}

/** Written atomically; `mode` 0600 for anything holding secrets. */
export async function writeJsonFile(path: string, value: object, mode: number): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', mode);
}
