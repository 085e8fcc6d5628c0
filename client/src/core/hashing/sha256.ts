/**
 * SHA-256 as the core uses it: streaming, answered in lowercase hex (the one form the service
 * speaks). The core brings no implementation of its own, because Web Crypto has no streaming digest:
 * each platform passes a factory (node:crypto in Node, hash-wasm in a browser's Web Worker).
 */

export interface Sha256 {
  update(data: Uint8Array): void;
  /** Lowercase hex of everything fed since the hasher was made; the hasher is spent afterwards. */
  digest(): string;
}

/** Makes a fresh hasher; may be asynchronous (WebAssembly hashers are instantiated asynchronously). */
export type Sha256Factory = () => Sha256 | Promise<Sha256>;

/** SHA-256 of one buffer, in hex. */
export async function sha256Of(createSha256: Sha256Factory, data: Uint8Array): Promise<string> {
  const hash = await createSha256();
  hash.update(data);
  return hash.digest();
}
