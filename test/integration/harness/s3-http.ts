/** Raw HTTP against presigned S3 URLs, as a client without the SDK (the tote CLI, a browser) sends it. */

export interface S3Answer {
  readonly status: number;
  /** S3's error code from the XML body (`<Code>`), when there is one. */
  readonly code?: string;
  readonly body: Buffer;
}

export async function send(url: string, init: { method: string; body?: Uint8Array | string; headers?: Record<string, string> }): Promise<S3Answer> {
  const res = await fetch(url, init);
  const body = Buffer.from(await res.arrayBuffer());
  const code = res.ok ? undefined : /<Code>([^<]+)<\/Code>/.exec(body.toString('utf8'))?.[1];
  return { status: res.status, body, ...(code ? { code } : {}) };
}

/** The URL with one character of its SigV4 signature changed: what a forger without the key can send. */
export function forgeSignature(url: string): string {
  const forged = new URL(url);
  const signature = forged.searchParams.get('X-Amz-Signature');
  if (!signature) throw new Error(`not a presigned URL: ${url}`);
  forged.searchParams.set('X-Amz-Signature', `${signature[0] === '0' ? '1' : '0'}${signature.slice(1)}`);
  return forged.toString();
}
