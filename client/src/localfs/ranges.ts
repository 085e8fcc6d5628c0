/** Reading and writing byte ranges of open files, whole ranges or a coded error. */
import type { FileHandle } from 'node:fs/promises';
import { ToteError } from '../core/errors';
import { onDisk } from './errors';

/** Reads exactly `size` bytes at `offset` into a new buffer; a file that got shorter is LOCAL_CHANGED. */
export const readRange = (handle: FileHandle, path: string, offset: number, size: number): Promise<Uint8Array> =>
  readRangeInto(handle, path, offset, Buffer.allocUnsafe(size));

/** Fills `target` with the bytes at `offset` (and answers it); a file that got shorter is LOCAL_CHANGED. */
export async function readRangeInto(handle: FileHandle, path: string, offset: number, target: Uint8Array): Promise<Uint8Array> {
  const size = target.length;
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await onDisk(path, () => handle.read(target, filled, size - filled, offset + filled));
    if (bytesRead === 0) throw new ToteError('LOCAL_CHANGED', 'file got shorter while it was being read', { subject: path });
    filled += bytesRead;
  }
  return target;
}

export async function writeRange(handle: FileHandle, path: string, offset: number, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await onDisk(path, () => handle.write(data, written, data.length - written, offset + written));
    written += bytesWritten;
  }
}
