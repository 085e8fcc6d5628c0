/**
 * Trinity's model of what each device leaves out of its synced set, and the oracle question that
 * depends on it: when a user deletes or overwrites a version on a device, was that a deliberate
 * change of a synced file (the version may go), or something done to a file the device was not
 * syncing (the version must survive wherever else it is)?
 *
 * A device's `.toteignore` counts from the device's next pass on (that is when the engine reads it);
 * an exclusion (`tote sync --exclude`) counts at once (it is written to the folder's state).
 */
import type { ToteClient } from '../../../../client/src/client';
import { buildManifest } from '../../../../client/src/core/chunking/manifest';
import { nodeSha256 } from '../../../../client/src/hashing/sha256';
import { IgnoreRules } from '../../../../client/src/sync/ignore-rules';
import { relKey } from '../../../../client/src/sync/paths';

export class DeviceSelection {
  /** The `.toteignore` on disk, and the one the device's last pass read. */
  fileRules = '';
  seenRules = '';
  readonly excluded = new Set<string>();

  /** Called when the device starts a pass. */
  seen(): void {
    this.seenRules = this.fileRules;
  }

  /** Whether the device keeps `rel` outside its synced set right now. */
  outside(rel: string): boolean {
    return IgnoreRules.of(this.seenRules, [...this.excluded].map(relKey)).ignores(rel);
  }
}

/** The content hash the service lists for a file of this text. */
export async function contentHashOf(text: string): Promise<string> {
  return (
    await buildManifest(
      (async function* () {
        yield Buffer.from(text);
      })(),
      { createSha256: nodeSha256 },
    )
  ).contentHash;
}

/** Content hashes of every live file the account holds, by remote path. */
export async function serverTree(client: ToteClient): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const folders = ['/'];
  while (folders.length > 0) {
    for (const entry of await client.ls(folders.pop() as string)) {
      if (entry.kind === 'folder') folders.push(entry.path);
      else files.set(entry.path, entry.contentHash);
    }
  }
  return files;
}
