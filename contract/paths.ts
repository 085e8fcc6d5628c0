/**
 * Remote path rules, shared by client and service. Paths are case-preserving for display but
 * unique per namespace ignoring case and Unicode normalization, so macOS, Windows and Linux devices
 * never hold two names that collide.
 */
import { LIMITS } from './limits';

export class PathError extends Error {
  readonly code = 'INVALID_PATH' as const;
}

/** C0 controls, DEL and C1 controls (U+0085 NEXT LINE among them): no platform we sync to shows them as a name. */
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * A UTF-16 surrogate without its partner is no character: UTF-8 (JSON on the wire, DynamoDB, file
 * systems) turns every one into U+FFFD, so `/a\ud800` and `/a\udc00` would land on one key.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be part of a path, or undefined when every character may be. */
function pathCharacterProblem(text: string): string | undefined {
  const control = CONTROL_CHAR.exec(text);
  if (control) return `path contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) return `path is not well-formed Unicode (unpaired surrogate U+${surrogate[0].charCodeAt(0).toString(16).toUpperCase()})`;
  return undefined;
}

/** Canonical display form: NFC, leading slash, no trailing slash, no empty/./.. segments. Root is "/". */
export function normalizePath(input: string): string {
  if (typeof input !== 'string' || input.length === 0) throw new PathError('path must be a non-empty string');
  const problem = pathCharacterProblem(input);
  if (problem !== undefined) throw new PathError(problem);
  const nfc = input.normalize('NFC');
  if (Buffer.byteLength(nfc) > LIMITS.maxPathBytes) throw new PathError(`path is longer than ${LIMITS.maxPathBytes} bytes`);
  const segments = nfc.split('/').filter((s) => s.length > 0);
  if (segments.length > LIMITS.maxPathDepth) throw new PathError(`path is nested deeper than ${LIMITS.maxPathDepth} levels`);
  for (const s of segments) {
    if (s === '.' || s === '..') throw new PathError(`path segment "${s}" is not allowed`);
    if (Buffer.byteLength(s) > LIMITS.maxNameBytes) throw new PathError(`name "${s.slice(0, 40)}…" is longer than ${LIMITS.maxNameBytes} bytes`);
  }
  return '/' + segments.join('/');
}

/** Identity of a path for uniqueness: normalized, then case-folded. */
export function pathKey(path: string): string {
  return normalizePath(path).toLowerCase();
}

export function parentPath(path: string): string {
  const p = normalizePath(path);
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function baseName(path: string): string {
  const p = normalizePath(path);
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Every ancestor folder of a path, outermost first, excluding the root. */
export function ancestorFolders(path: string): string[] {
  const segments = normalizePath(path).split('/').filter(Boolean);
  return segments.slice(0, -1).map((_, i) => '/' + segments.slice(0, i + 1).join('/'));
}
