/**
 * Modules the build writes for the bundles to take in place of a source or package (esbuild aliases,
 * lib/constructs/service-function.ts). Inside the repository's node_modules, so what they require
 * (Ajv's runtime helpers) resolves from there.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './source-layout';

const OUT_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'tote-lambdas');

/**
 * Writes the module (named by its content's hash, so concurrent synths agree and never see half a
 * file) and returns its absolute path. `extension` says how esbuild loads it: `cjs` or `json`.
 */
export function writeGeneratedModule(source: string, extension: 'cjs' | 'json'): string {
  const file = path.join(OUT_DIR, `${createHash('sha256').update(source).digest('hex').slice(0, 16)}.${extension}`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const staging = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(staging, source);
    fs.renameSync(staging, file);
  }
  return file;
}
