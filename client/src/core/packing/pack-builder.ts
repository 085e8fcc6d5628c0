/**
 * Builds packs (contract/pack-format.ts) from blobs as they come: each blob already encoded (gzip or
 * not, decided per blob by the caller), each distinct hash once. The caller adds blobs and seals the
 * pack when `full` says so, so a pack can go up while the next one fills and memory holds about one
 * pack per builder.
 */
import { LIMITS } from '@contract/limits';
import { encodePackIndex, type PackEntry, type PackedBlob } from '@contract/pack-format';
import type { Compression } from '@contract/schemas';
import type { Sha256Factory } from '../hashing/sha256';
import { concatBytes } from '../io';

export interface BlobInput {
  /** SHA-256 of the plaintext. */
  readonly hash: string;
  readonly plainLength: number;
  /** The bytes to store and how they are encoded. */
  readonly stored: Uint8Array;
  readonly compression: Compression;
}

/** A finished pack: its bytes, their SHA-256 (the pack's name) and where each blob lies. */
export interface SealedPack {
  readonly hash: string;
  readonly bytes: Uint8Array;
  readonly blobs: readonly PackedBlob[];
}

export interface PackBuilderOptions {
  readonly createSha256: Sha256Factory;
  /** Seal once the blobs take this many bytes (default LIMITS.packTargetBytes). */
  readonly targetBytes?: number;
  /** Seal once the pack holds this many blobs (default LIMITS.packMaxBlobs). */
  readonly maxBlobs?: number;
}

export class PackBuilder {
  private entries: PackEntry[] = [];
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private readonly hashes = new Set<string>();
  private readonly targetBytes: number;
  private readonly maxBlobs: number;

  constructor(private readonly options: PackBuilderOptions) {
    this.targetBytes = options.targetBytes ?? LIMITS.packTargetBytes;
    this.maxBlobs = Math.min(options.maxBlobs ?? LIMITS.packMaxBlobs, LIMITS.packMaxBlobs);
  }

  /** Blobs in the pack being built. */
  get count(): number {
    return this.entries.length;
  }

  /** Whether the pack being built holds `hash` already. */
  has(hash: string): boolean {
    return this.hashes.has(hash);
  }

  /** Whether the pack should be sealed before anything else is added. */
  get full(): boolean {
    return this.bytes >= this.targetBytes || this.entries.length >= this.maxBlobs;
  }

  add(blob: BlobInput): void {
    if (this.hashes.has(blob.hash)) throw new Error(`blob ${blob.hash} is in the pack already`);
    if (this.full) throw new Error('the pack is full: seal it first');
    if (blob.plainLength < 1 || blob.plainLength > LIMITS.packBlobMaxBytes) throw new RangeError(`a blob holds 1 to ${LIMITS.packBlobMaxBytes} bytes, not ${blob.plainLength}`);
    this.hashes.add(blob.hash);
    this.entries.push({ hash: blob.hash, storedLength: blob.stored.length, plainLength: blob.plainLength, compression: blob.compression });
    this.parts.push(blob.stored);
    this.bytes += blob.stored.length;
  }

  /**
   * The pack of every blob added since the last seal; undefined when empty. The builder starts afresh
   * at once (before anything is awaited), so blobs added meanwhile go to the next pack.
   */
  async seal(): Promise<SealedPack | undefined> {
    if (this.entries.length === 0) return undefined;
    const entries = this.entries;
    const index = encodePackIndex(entries);
    const bytes = concatBytes([...this.parts, index], this.bytes + index.length);
    this.entries = [];
    this.parts = [];
    this.bytes = 0;
    this.hashes.clear();
    let offset = 0;
    const blobs = entries.map((e) => {
      const placed = { ...e, offset };
      offset += e.storedLength;
      return placed;
    });
    const hasher = await this.options.createSha256();
    hasher.update(bytes);
    return { hash: hasher.digest(), bytes, blobs };
  }
}
