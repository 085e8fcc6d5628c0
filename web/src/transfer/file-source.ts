/**
 * The core's ByteSource over a browser File: ranges read as Blob slices. A File is a snapshot (a file
 * changed on disk after it was picked fails to read with NotReadableError), so it is unchanged by
 * definition; a failed read is LOCAL_IO naming the file.
 */
import { ToteError } from '../../../client/src/core/errors';
import type { ByteSource } from '../../../client/src/core/io';

export function fileSource(file: Blob & { readonly name?: string }): ByteSource {
  return {
    size: file.size,
    async read(offset, length) {
      if (offset + length > file.size) throw new ToteError('LOCAL_CHANGED', 'the file got shorter while it was being read', { subject: file.name });
      try {
        return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
      } catch (thrown) {
        throw new ToteError('LOCAL_IO', `cannot read ${file.name ?? 'the file'} (it changed or was removed since it was chosen)`, { subject: file.name, cause: thrown });
      }
    },
    unchanged: async () => true,
  };
}
