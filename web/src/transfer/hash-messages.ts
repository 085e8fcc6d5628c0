/** What the page and the hashing worker say to each other. */
export interface HashRequest {
  readonly id: number;
  readonly bytes: ArrayBuffer;
}

export type HashReply = { readonly id: number; readonly bytes: ArrayBuffer } & ({ readonly hash: string } | { readonly error: string });
