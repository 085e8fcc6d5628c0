/**
 * Uploading the large file again after small edits: what content-defined chunking saves. The device
 * that uploaded the original still has its chunk list, as a user's machine would.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { editedCopy, type Generated } from '../files';
import { fixed, MiB, mib, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';
import { REMOTE_PATH } from './large-file';

export async function deltas(service: Service, original: Generated): Promise<Table> {
  const device = await service.device('large-up');
  const scenarios: [string, Parameters<typeof editedCopy>[2] | undefined][] = [
    ['Identical re-upload', undefined],
    ['1 byte changed mid-file', { overwriteAt: { offset: Math.floor(original.size / 2), bytes: Buffer.from([0x5a]) } }],
    ['1 KiB inserted at the start', { prepend: randomBytes(1024) }],
    ['1 MiB appended', { append: randomBytes(MiB) }],
  ];
  const rows: string[][] = [];
  for (const [what, edit] of scenarios) {
    const path = edit ? join(service.workDir, 'edited.bin') : original.path;
    if (edit) await editedCopy(original.path, path, edit);
    const put = await timed(() => device.client.put(path, REMOTE_PATH));
    const summary = put.value;
    rows.push([what, mib(summary.bytesSent), `${summary.chunksSent} of ${summary.chunksSent + summary.chunksSkipped}`, fixed(put.seconds)]);
    if (edit) await rm(path);
  }
  return {
    title: `Uploading the ${mib(original.size)} file again after an edit`,
    columns: ['Change', 'Bytes sent', 'Chunks sent', 'Time, s'],
    rows,
    note:
      'Each edit is a new revision of the same remote file from the device that uploaded the original. The time of an edited ' +
      'file includes reading and hashing it whole (only the changed chunks are sent); the identical one is recognized by its unchanged identity and not read again.',
  };
}
