/**
 * The local CloudFront edge: picks the cache behavior for the path, enforces its allowed methods and
 * trusted key groups (signed URLs), runs its viewer-request function, then streams the object from the
 * S3 origin through the SDK, with Content-Length and Range support and the behavior's response headers
 * (CORS, security headers). Denials answer 403 with CloudFront's XML error body.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type * as http from 'node:http';
import { Readable } from 'node:stream';
import type { EventSink } from '../host/events';
import { isPreflight, preflightHeaders, responseCorsHeaders } from '../http/cors';
import type { RequestHandler } from '../http/deferred-server';
import type { BehaviorModel, DistributionModel } from '../template/edge-model';
import { verifySignedUrl, wildcardMatch } from './signed-url';

export interface EdgeOptions {
  readonly distribution: DistributionModel;
  readonly s3: S3Client;
  readonly emit: EventSink;
  /**
   * Replaces the policy's Content-Security-Policy: the template's names AWS endpoints, and locally the
   * browser talks to loopback ones.
   */
  readonly contentSecurityPolicy?: string;
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

export function selectBehavior(behaviors: readonly BehaviorModel[], path: string): BehaviorModel {
  const found = behaviors.find((b) => b.pathPattern === '*' || wildcardMatch(b.pathPattern.replace(/^\/?/, '/'), path));
  return found ?? (behaviors[behaviors.length - 1] as BehaviorModel);
}

export function edgeHandler(opts: EdgeOptions): RequestHandler {
  return (req, res) => {
    const started = Date.now();
    const fail: Fail = (status, code, message) => {
      res.writeHead(status, { 'content-type': 'text/xml' }).end(xmlError(code, message));
      return status;
    };
    const path = (req.url ?? '/').split('?')[0];
    serve(req, res, fail)
      .catch((err: Error) => {
        if (!res.headersSent) return fail(502, 'BadGateway', 'The origin could not be reached');
        res.destroy(err);
        return res.statusCode;
      })
      .then((status) => {
        opts.emit({ type: 'request', server: 'edge', method: req.method ?? '', path, status, ms: Date.now() - started });
      });
  };

  async function serve(req: http.IncomingMessage, res: http.ServerResponse, fail: Fail): Promise<number> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const behavior = selectBehavior(opts.distribution.behaviors, url.pathname);
    const method = req.method ?? 'GET';
    if (behavior.cors && isPreflight(req) && behavior.allowedMethods.includes('OPTIONS')) {
      const headers = preflightHeaders(behavior.cors, req);
      res.writeHead(headers ? 200 : 403, headers ?? {}).end();
      return res.statusCode;
    }
    if (!behavior.allowedMethods.includes(method) || (method !== 'GET' && method !== 'HEAD')) {
      return fail(403, 'MethodNotAllowed', 'This distribution is not configured to allow the HTTP request method that was used for this request.');
    }
    if (behavior.trustedKeyPairIds.length > 0) {
      const trustedKeys = new Map(
        behavior.trustedKeyPairIds.flatMap((id) => {
          const pem = opts.distribution.publicKeys.get(id);
          return pem ? [[id, pem] as const] : [];
        }),
      );
      const verdict = verifySignedUrl({
        url,
        nowSeconds: Date.now() / 1000,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '',
        trustedKeys,
      });
      if (!verdict.ok) return fail(403, verdict.code, verdict.message);
    }
    const viewed = behavior.viewerRequest?.({ uri: url.pathname, query: url.searchParams, headers: req.headers }) ?? { uri: url.pathname };
    if ('status' in viewed) return fail(viewed.status, 'FunctionRefused', 'The viewer-request function refused this request.');
    let uri = viewed.uri;
    if (uri === '/' && opts.distribution.defaultRootObject) uri = `/${opts.distribution.defaultRootObject}`;
    const key = decodeURIComponent(`${behavior.originPath}${uri}`.replace(/^\/+/, ''));
    const security = { ...behavior.securityHeaders };
    if (opts.contentSecurityPolicy && security['content-security-policy']) security['content-security-policy'] = opts.contentSecurityPolicy;
    return streamObject(opts.s3, behavior.bucket, key, req, res, fail, { ...security, ...responseCorsHeaders(behavior.cors, req) });
  }
}

type Fail = (status: number, code: string, message: string) => number;

async function streamObject(
  s3: S3Client,
  bucket: string,
  key: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  fail: Fail,
  responseHeaders: Readonly<Record<string, string>>,
): Promise<number> {
  const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
  let object;
  try {
    object =
      req.method === 'HEAD'
        ? await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, Range: range }))
        : await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // Through origin access control S3 answers a missing key with 403 (the edge may not list the bucket).
    if (status === 404 || status === 403) return fail(403, 'AccessDenied', 'Access Denied');
    if (status === 416) return fail(416, 'InvalidRange', 'The requested range is not satisfiable');
    throw err;
  }
  const headers: Record<string, string | number> = {
    ...responseHeaders,
    'content-length': object.ContentLength ?? 0,
    'content-type': object.ContentType ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    'x-cache': 'Miss from cloudfront',
  };
  if (object.ETag) headers.etag = object.ETag;
  if (object.CacheControl) headers['cache-control'] = object.CacheControl;
  if (object.LastModified) headers['last-modified'] = object.LastModified.toUTCString();
  if (object.ContentRange) headers['content-range'] = object.ContentRange;
  for (const [name, value] of Object.entries(object.Metadata ?? {})) headers[`x-amz-meta-${name}`] = value;
  const status = object.ContentRange ? 206 : 200;
  res.writeHead(status, headers);
  const body = 'Body' in object ? object.Body : undefined;
  if (!(body instanceof Readable)) {
    res.end();
    return status;
  }
  await new Promise<void>((resolve, reject) => {
    body.once('error', reject);
    // A viewer that hangs up mid-object must not leave the origin stream open.
    res.once('close', () => {
      body.destroy();
      resolve();
    });
    body.pipe(res);
  });
  return status;
}
