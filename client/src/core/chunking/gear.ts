/**
 * The gear table of the rolling hash: 256 pseudo-random 32-bit words, one per byte value.
 *
 * Derived from SHA-256 of a fixed label so it is reproducible anywhere and never changes: every
 * client must cut the same bytes at the same places, or deduplication across devices and revisions
 * silently stops working. Changing the label is a format change.
 */
import { createHash } from 'node:crypto';

const LABEL = 'tote-gear-v1:';

export const GEAR: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) table[i] = createHash('sha256').update(LABEL + i).digest().readUInt32BE(0);
  return table;
})();
