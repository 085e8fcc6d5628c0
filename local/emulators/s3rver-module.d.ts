/** The slice of s3rver 3.x (which ships no types) that the local runtime uses. */
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    directory: string;
    silent?: boolean;
    vhostBuckets?: boolean;
    allowMismatchedSignatures?: boolean;
  }

  interface S3rverEvent {
    Records: Array<{
      eventName: string;
      eventTime: string;
      requestParameters: { sourceIPAddress: string };
      s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
    }>;
  }

  class S3rver {
    constructor(options: S3rverOptions);
    /** The Koa request handler. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: 'event', listener: (event: S3rverEvent) => void): this;
    store: { existsObject(bucket: string, key: string): Promise<boolean> };
  }

  export = S3rver;
}
