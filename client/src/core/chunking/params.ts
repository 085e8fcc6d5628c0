/**
 * Content-defined chunking bounds and the cut masks derived from them.
 *
 * Normalized chunking (FastCDC, level 2): before the normal size a cut needs two more zero bits
 * than the average implies, after it two fewer. That squeezes chunk sizes towards the normal size
 * (fewer tiny and fewer maximal chunks) without losing the shift-resistance of content cuts.
 */
import { LIMITS } from '@contract/limits';

export interface ChunkingParams {
  /** No cut before this many bytes (the bytes are not even hashed: FastCDC's skip). */
  readonly minBytes: number;
  /** Where the stricter mask gives way to the looser one; the average lands close to it. */
  readonly avgBytes: number;
  /** A chunk is cut here whatever its content. */
  readonly maxBytes: number;
}

export interface ChunkCutter extends ChunkingParams {
  /** Bits that must be zero for a cut before `avgBytes` (more bits: rarer). */
  readonly maskSmall: number;
  /** Bits that must be zero for a cut from `avgBytes` on (fewer bits: likelier). */
  readonly maskLarge: number;
}

/** The service's bounds: 1 MiB / 4 MiB / 16 MiB. */
export const DEFAULT_CHUNKING: ChunkingParams = {
  minBytes: LIMITS.chunkMinBytes,
  avgBytes: LIMITS.chunkAvgBytes,
  maxBytes: LIMITS.chunkMaxBytes,
};

const NORMALIZATION_LEVEL = 2;
/** The gear hash is 32 bits wide and the newest byte lands in the low bits, so masks take the high bits (longest history). */
const topBits = (n: number): number => (n <= 0 ? 0 : (0xffffffff << (32 - n)) | 0);

export function cutterFor(params: ChunkingParams): ChunkCutter {
  const { minBytes, avgBytes, maxBytes } = params;
  if (!(Number.isInteger(minBytes) && Number.isInteger(avgBytes) && Number.isInteger(maxBytes))) {
    throw new RangeError('chunking bounds must be integers');
  }
  if (!(minBytes >= 1 && minBytes < avgBytes && avgBytes < maxBytes && maxBytes <= 2 ** 30)) {
    throw new RangeError(`chunking bounds must satisfy 1 <= min < avg < max <= 1 GiB (got ${minBytes}/${avgBytes}/${maxBytes})`);
  }
  const bits = Math.round(Math.log2(avgBytes));
  if (bits + NORMALIZATION_LEVEL > 32) throw new RangeError('average chunk size is too large for a 32-bit gear hash');
  return {
    ...params,
    maskSmall: topBits(bits + NORMALIZATION_LEVEL),
    maskLarge: topBits(bits - NORMALIZATION_LEVEL),
  };
}
