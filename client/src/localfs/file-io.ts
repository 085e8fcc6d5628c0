/**
 * The core's byte source and sink (core/io.ts) over Node file handles: ranges read and written by
 * position, a source "unchanged" while the file's identity is (any write moves its ctime), failures
 * translated into coded errors that name the path.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ByteSink, ByteSource } from '../core/io';
import { handleIdentity, sameIdentity, type FileIdentity } from './identity';
import { readRange, readRangeInto, writeRange } from './ranges';

export interface FileSource extends ByteSource {
  /** The file's identity when the source was made: its bytes are the ones read while it holds. */
  readonly identity: FileIdentity;
}

/** A source over an open file, as it is now. */
export async function fileSource(handle: FileHandle, path: string): Promise<FileSource> {
  const identity = await handleIdentity(handle, path);
  return {
    identity,
    size: identity.size,
    read: (offset, length) => readRange(handle, path, offset, length),
    readInto: (offset, target) => readRangeInto(handle, path, offset, target),
    unchanged: async () => sameIdentity(identity, await handleIdentity(handle, path)),
  };
}

export function fileSink(handle: FileHandle, path: string): ByteSink {
  return { write: (offset, data) => writeRange(handle, path, offset, data) };
}
