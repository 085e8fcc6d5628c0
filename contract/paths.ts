/**
 * Remote path rules, shared by client and service. Paths are case-preserving for display but
 * unique per namespace ignoring case and Unicode normalization, so macOS, Windows and Linux devices
 * never hold two names that collide.
 */
import { LIMITS } from './limits';

export class PathError extends Error {
  readonly code = 'INVALID_PATH' as const;
}

const FORBIDDEN_CHARS = /[\u0000-\u001f]/;

/** Canonical display form: NFC, leading slash, no trailing slash, no empty/./.. segments. Root is "/". */
export function normalizePath(input: string): string {
  if (typeof input !== 'string' || input.length === 0) throw new PathError('path must be a non-empty string');
  const nfc = input.normalize('NFC');
  if (FORBIDDEN_CHARS.test(nfc)) throw new PathError('path contains a control character');
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

/**
 * The name of a copy beside `name`: `name (<label>).ext`, or `name (<label> <n>).ext` for n > 1.
 * Dot-files and names without a dot have no extension.
 */
export function copyNameOf(name: string, label: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot <= 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
  return `${stem} (${label}${n === 1 ? '' : ` ${n}`})${ext}`;
}
