/**
 * S3 event notification records (eventVersion 2.1), shaped as AWS delivers them to Lambda. The key is
 * URL-encoded as S3 encodes it (form encoding per path segment: space becomes '+'), so handlers
 * that decode keys correctly on AWS decode them correctly here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { LOCAL_REGION } from '../config';
import type { ObjectCreated } from './source';

export interface S3EventRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: Readonly<Record<'x-amz-request-id' | 'x-amz-id-2', string>>;
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: { readonly name: string; readonly ownerIdentity: { readonly principalId: string }; readonly arn: string };
    readonly object: {
      readonly key: string;
      readonly size: number;
      readonly eTag: string;
      readonly versionId?: string;
      readonly sequencer: string;
    };
  };
}

const PRINCIPAL = 'A3LOCALTOTE0000';

/** Java URLEncoder rules (what S3 uses) applied to each segment; '/' stays as is. */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/%20/g, '+')
        .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()),
    )
    .join('/');
}

export function s3EventRecord(notice: ObjectCreated, configurationId: string): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: LOCAL_REGION,
    eventTime: notice.eventTime,
    eventName: notice.eventName,
    userIdentity: { principalId: `AWS:${PRINCIPAL}` },
    requestParameters: { sourceIPAddress: notice.sourceIp },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(32).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: notice.bucket, ownerIdentity: { principalId: PRINCIPAL }, arn: `arn:aws:s3:::${notice.bucket}` },
      object: {
        key: encodeEventKey(notice.key),
        size: notice.size,
        eTag: notice.eTag.replace(/"/g, ''),
        ...(notice.versionId ? { versionId: notice.versionId } : {}),
        sequencer: notice.sequencer,
      },
    },
  };
}

/** S3 names configurations it generated with an opaque id; a stable hash keeps logs comparable. */
export const configurationIdFor = (parts: readonly string[]) =>
  createHash('sha256').update(parts.join('\0')).digest('base64url').slice(0, 24);
