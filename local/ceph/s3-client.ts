import { S3Client } from '@aws-sdk/client-s3';

/** Where a radosgw serves S3 and the user to sign as. */
export interface RadosgwConnection {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * An S3 client radosgw 16 understands: path-style addressing (no wildcard DNS on 127.0.0.1), and
 * checksums only where S3 requires them: radosgw 16 refuses the SDK's default streaming upload
 * (aws-chunked with a trailing checksum) with 411 MissingContentLength.
 */
export function radosgwS3Client(rgw: RadosgwConnection): S3Client {
  return new S3Client({
    endpoint: rgw.endpoint,
    region: rgw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
