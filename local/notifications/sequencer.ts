/**
 * S3 sequencers: hex strings that compare greater for later events on a key. Milliseconds alone
 * collide when two writes land in the same millisecond, so a counter fills the low digits.
 */
export function createSequencer(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    const candidate = BigInt(now()) * 1_000n;
    last = candidate > last ? candidate : last + 1n;
    return last.toString(16).toUpperCase().padStart(18, '0');
  };
}
