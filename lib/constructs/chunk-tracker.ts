import { Duration } from 'aws-cdk-lib';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHUNK_TRACKER_ENTRY } from '../source-layout';
import type { ChunkBucket } from './chunk-bucket';
import { ServiceFunction, type ServiceFunctionProps } from './service-function';

export interface ChunkTrackerProps
  extends Pick<ServiceFunctionProps, 'memorySize' | 'timeoutSeconds' | 'logRetention' | 'logLevel'> {
  /** The bucket whose chunk uploads are verified. */
  readonly chunkBucket: ChunkBucket;
}

/**
 * The chunk tracker: S3 invokes it for every object created under the chunk prefix; it verifies the
 * bytes and registers the chunk. Events that still fail after Lambda's retries land in a queue, so a
 * chunk that was never registered can be found and replayed instead of vanishing from view.
 */
export class ChunkTracker extends Construct {
  readonly function: ServiceFunction;
  readonly failedEvents: sqs.Queue;

  constructor(scope: Construct, id: string, props: ChunkTrackerProps) {
    super(scope, id);
    this.function = new ServiceFunction(this, 'Handler', {
      entry: CHUNK_TRACKER_ENTRY,
      description: 'Verifies uploaded chunks (size, SHA-256) and registers them',
      memorySize: props.memorySize,
      timeoutSeconds: props.timeoutSeconds,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
    });
    this.failedEvents = new sqs.Queue(this, 'FailedEvents', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.function.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.failedEvents),
    });
    props.chunkBucket.onChunkCreated(this.function.fn);
  }
}
