/**
 * Downloads are written to a hidden temp file beside their destination and renamed into place when
 * complete and verified: `.<name>.tote-download-<id>`. Anything that scans local folders (the sync
 * scanner, folder uploads) must skip these names; this module is the one place that knows them.
 */
import { basename, dirname, join } from 'node:path';

const MARKER = '.tote-download-';
const NAME_MAX_BYTES = 255;
const TEMP_NAME = /^\..*\.tote-download-[A-Za-z0-9_-]+$/s;

export function isTempDownloadName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** The temp file for downloading `id` (a file id) to `destPath`; stable, so a rerun finds it. */
export function tempDownloadPath(destPath: string, id: string): string {
  const suffix = MARKER + id.replace(/[^A-Za-z0-9_-]/g, '_');
  let name = basename(destPath);
  // Keep within the file-name limit by shortening the visible part, never the marker or the id.
  while (name.length > 1 && Buffer.byteLength(`.${name}${suffix}`) > NAME_MAX_BYTES) name = name.slice(0, -1);
  return join(dirname(destPath), `.${name}${suffix}`);
}
