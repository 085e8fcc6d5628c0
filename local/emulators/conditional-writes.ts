/**
 * S3 conditional writes as the design relies on them: a PutObject carrying `If-None-Match: *` answers
 * 412 when the key exists. Shared by the fronts the runtime puts before S3 implementations that lack
 * it (s3rver entirely, radosgw 16 on versioned buckets).
 */
import type * as http from 'node:http';

export interface ObjectAddress {
  readonly bucket: string;
  readonly key: string;
}

const PRECONDITION_FAILED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
  '<Message>At least one of the pre-conditions you specified did not hold</Message>' +
  '<Condition>If-None-Match</Condition></Error>';

/** The object a path-style PutObject with `If-None-Match: *` would create; undefined for any other request (upload parts included). */
export function conditionalPut(req: http.IncomingMessage): ObjectAddress | undefined {
  if (req.method !== 'PUT' || req.headers['if-none-match'] !== '*') return undefined;
  const url = new URL(req.url ?? '/', 'http://s3');
  if (url.searchParams.has('partNumber')) return undefined;
  const [, bucket, ...keyParts] = url.pathname.split('/');
  if (!bucket || keyParts.length === 0) return undefined;
  return { bucket: decodeURIComponent(bucket), key: keyParts.map(decodeURIComponent).join('/') };
}

/** S3's 412 answer, once the request body (which S3 would not store) has been read. */
export function answerPreconditionFailed(req: http.IncomingMessage, res: http.ServerResponse): void {
  const answer = () => void res.writeHead(412, { 'content-type': 'application/xml' }).end(PRECONDITION_FAILED);
  if (req.readableEnded) return answer();
  req.resume();
  req.once('end', answer);
}
