/**
 * A hash of everything a synthesized assembly depends on: the CDK app, the handlers it bundles, the
 * dependency lock and the configs. Same hash, same assembly, so a restart can skip the synth.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const INPUT_DIRS = ['bin', 'lib', 'lambdas', 'contract', 'local/synth'];
const INPUT_FILES = ['cdk.json', 'package-lock.json', 'tsconfig.json'];

export function sourceFingerprint(repoRoot: string): string {
  const hash = createHash('sha256');
  const files = [...INPUT_FILES, ...INPUT_DIRS.flatMap((dir) => listFiles(repoRoot, dir))].sort();
  for (const file of files) {
    const full = path.join(repoRoot, file);
    if (!fs.existsSync(full)) continue;
    hash.update(file).update('\0').update(fs.readFileSync(full)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

function listFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}
