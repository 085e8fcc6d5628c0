/**
 * The pack format: many small blobs in one stored object (lambdas/README.md, "Packs"). The client
 * writes packs, the chunk tracker reads them; both use this one definition.
 *
 *   pack    = blob 0 | blob 1 | ... | blob n-1 | entry 0 | ... | entry n-1 | trailer
 *   entry   = SHA-256 of the blob's plaintext (32 bytes) | stored length (u32 LE)
 *             | plaintext length (u32 LE) | compression (u8: 0 none, 1 gzip)        = 41 bytes
 *   trailer = n (u32 LE) | "TPK1"                                                   =  8 bytes
 *
 * A blob's offset is the sum of the stored lengths before it, so blobs can neither overlap nor leave
 * gaps, and the stored lengths must add up to exactly what lies before the index. The index sits at
 * the end so that a reader can take it from the pack's tail alone.
 */
import { LIMITS } from './limits';
import type { Compression } from './schemas';

export const PACK_ENTRY_BYTES = 41;
export const PACK_TRAILER_BYTES = 8;
const MAGIC = [0x54, 0x50, 0x4b, 0x31]; // "TPK1"
const COMPRESSION_CODES: readonly Compression[] = ['none', 'gzip'];

/** One blob as the index describes it. */
export interface PackEntry {
  /** SHA-256 of the plaintext, lowercase hex: the blob's (and chunk's) identity. */
  readonly hash: string;
  readonly storedLength: number;
  readonly plainLength: number;
  readonly compression: Compression;
}

/** An entry with where its stored bytes start in the pack. */
export interface PackedBlob extends PackEntry {
  readonly offset: number;
}

/** The bytes are not a well-formed pack; `message` says what is wrong. */
export class PackFormatError extends Error {
  readonly code = 'PACK_MALFORMED';
}

/** The index and trailer that follow blobs described by `entries`, in order. */
export function encodePackIndex(entries: readonly PackEntry[]): Uint8Array {
  const out = new Uint8Array(entries.length * PACK_ENTRY_BYTES + PACK_TRAILER_BYTES);
  const view = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const at = i * PACK_ENTRY_BYTES;
    out.set(hexBytes(e.hash), at);
    view.setUint32(at + 32, e.storedLength, true);
    view.setUint32(at + 36, e.plainLength, true);
    out[at + 40] = COMPRESSION_CODES.indexOf(e.compression);
  });
  const trailer = entries.length * PACK_ENTRY_BYTES;
  view.setUint32(trailer, entries.length, true);
  out.set(MAGIC, trailer + 4);
  return out;
}

/**
 * The blobs of a whole pack, checked for form (not content: hashing is the reader's). Throws
 * PackFormatError for anything but a pack this module would write within LIMITS.
 */
export function parsePackIndex(pack: Uint8Array): PackedBlob[] {
  if (pack.length > LIMITS.packMaxBytes) throw new PackFormatError(`pack of ${pack.length} bytes is larger than ${LIMITS.packMaxBytes}`);
  if (pack.length < PACK_TRAILER_BYTES) throw new PackFormatError('pack is shorter than its trailer');
  const view = new DataView(pack.buffer, pack.byteOffset, pack.byteLength);
  const trailer = pack.length - PACK_TRAILER_BYTES;
  if (MAGIC.some((b, i) => pack[trailer + 4 + i] !== b)) throw new PackFormatError('pack trailer has no TPK1 magic');
  const count = view.getUint32(trailer, true);
  if (count < 1 || count > LIMITS.packMaxBlobs) throw new PackFormatError(`pack lists ${count} blobs, not 1 to ${LIMITS.packMaxBlobs}`);
  const indexStart = trailer - count * PACK_ENTRY_BYTES;
  if (indexStart < 0) throw new PackFormatError(`pack is too short for an index of ${count} blobs`);
  const blobs: PackedBlob[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const at = indexStart + i * PACK_ENTRY_BYTES;
    const entry = readEntry(pack, view, at, i);
    if (seen.has(entry.hash)) throw new PackFormatError(`blob ${i} repeats hash ${entry.hash}`);
    seen.add(entry.hash);
    blobs.push({ ...entry, offset });
    offset += entry.storedLength;
    if (offset > indexStart) throw new PackFormatError(`blob ${i} runs past the start of the index`);
  }
  if (offset !== indexStart) throw new PackFormatError(`blobs cover ${offset} bytes but the index starts at ${indexStart}`);
  return blobs;
}

function readEntry(pack: Uint8Array, view: DataView, at: number, i: number): PackEntry {
  const hash = bytesHex(pack.subarray(at, at + 32));
  const storedLength = view.getUint32(at + 32, true);
  const plainLength = view.getUint32(at + 36, true);
  const compression = COMPRESSION_CODES[pack[at + 40]];
  if (compression === undefined) throw new PackFormatError(`blob ${i} has unknown compression code ${pack[at + 40]}`);
  if (plainLength < 1 || plainLength > LIMITS.packBlobMaxBytes) {
    throw new PackFormatError(`blob ${i} has ${plainLength} plaintext bytes, not 1 to ${LIMITS.packBlobMaxBytes}`);
  }
  if (storedLength < 1) throw new PackFormatError(`blob ${i} stores no bytes`);
  if (compression === 'none' && storedLength !== plainLength) throw new PackFormatError(`uncompressed blob ${i} stores ${storedLength} bytes of ${plainLength}`);
  return { hash, storedLength, plainLength, compression };
}

function hexBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new TypeError(`not a lowercase hex SHA-256: ${hex}`);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const bytesHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
