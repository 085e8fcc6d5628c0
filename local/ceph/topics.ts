import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import type { RadosgwConnection } from './s3-client';

/**
 * radosgw's SNS-compatible topic API (served on the S3 endpoint itself): a topic names the HTTP
 * endpoint radosgw pushes bucket notifications to, and PutBucketNotificationConfiguration points a
 * bucket's TopicConfigurations at its ARN.
 */
export interface TopicOptions {
  /** Where radosgw POSTs each notification (JSON `{ Records: [...] }`). */
  readonly pushEndpoint: string;
}

/** Creates (or, with the same name, replaces) a topic and returns its ARN. */
export async function createTopic(rgw: RadosgwConnection, name: string, options: TopicOptions): Promise<string> {
  // Not persistent: radosgw 16 picks a new persistent topic's queue up only after about 30 s, so the
  // first events would arrive half a minute late. A plain topic pushes during the PUT, at once.
  const body = await call(rgw, {
    Action: 'CreateTopic',
    Name: name,
    'Attributes.entry.1.key': 'push-endpoint',
    'Attributes.entry.1.value': options.pushEndpoint,
  });
  const arn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(body)?.[1];
  if (!arn) throw new Error(`CreateTopic ${name}: no TopicArn in ${body}`);
  return arn;
}

/** One signed SNS query-protocol call (form-encoded POST); answers the XML body or throws with it. */
async function call(rgw: RadosgwConnection, params: Record<string, string>): Promise<string> {
  const url = new URL(rgw.endpoint);
  const body = new URLSearchParams(params).toString();
  const signer = new SignatureV4({
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    region: rgw.region,
    service: 'sns',
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const res = await fetch(new URL('/', url), { method: 'POST', headers: signed.headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${params.Action} answered ${res.status}: ${text}`);
  return text;
}

/** The hash SignatureV4 needs, from node:crypto: SHA-256, or HMAC-SHA-256 when given a secret. */
class NodeSha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  private readonly secret?: Buffer;

  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.hash = this.fresh();
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
