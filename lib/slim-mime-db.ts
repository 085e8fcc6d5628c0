/**
 * mime-db as the bundles see it: only the media types that have file extensions, with the fields
 * mime-types' `lookup` reads (extensions, and source to settle an extension two types claim). The
 * upload handlers guess a file's media type from its name with mime-types; the full database (2,500
 * types with descriptions, charsets and compressibility) would be half their bundle.
 */
import mimeDb from 'mime-db/db.json';
import { writeGeneratedModule } from './generated-modules';

export function writeSlimMimeDb(): string {
  const slim = Object.fromEntries(
    Object.entries(mimeDb as Record<string, { source?: string; extensions?: string[] }>)
      .filter(([, entry]) => entry.extensions !== undefined)
      .map(([type, entry]) => [type, { source: entry.source, extensions: entry.extensions }]),
  );
  return writeGeneratedModule(JSON.stringify(slim), 'json');
}
