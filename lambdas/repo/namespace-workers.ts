/**
 * Starts the collector's per-namespace function, once per namespace, without waiting for it (Lambda's
 * asynchronous invocation: it queues, retries a failure twice, and runs many at once). The fan-out is
 * what lets the collector scale with the number of namespaces.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/** What the per-namespace function receives. */
export interface NamespaceJob {
  readonly ownerId: string;
  /** The scheduled event's time: "now" for the run. */
  readonly time: string;
}

export class NamespaceWorkers {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async start(job: NamespaceJob): Promise<void> {
    const out = await this.lambda.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(job)) }),
    );
    if (out.StatusCode !== 202) throw new Error(`invoking ${this.functionName} for ${job.ownerId} answered ${out.StatusCode}`);
  }
}
