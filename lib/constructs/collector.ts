import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ENV } from '@contract/env';
import { COLLECTOR_NAMESPACE_ENTRY, COLLECTOR_SCHEDULE_ENTRY } from '../source-layout';
import { ServiceFunction, type ServiceFunctionProps } from './service-function';

type Sizing = Pick<ServiceFunctionProps, 'memorySize' | 'timeoutSeconds'>;

export interface CollectorProps extends Pick<ServiceFunctionProps, 'logRetention' | 'logLevel'> {
  /** How often the collector runs. @default every 6 hours */
  readonly schedule?: events.Schedule;
  /** Memory and timeout of the scheduled function. */
  readonly scheduleSizing?: Sizing;
  /** Memory and timeout of the per-namespace function. */
  readonly namespaceSizing?: Sizing;
}

/**
 * The chunk collector (lambdas/domain/gc/README.md): an EventBridge schedule invokes the scheduled
 * function, which starts the per-namespace function once per namespace (asynchronously, so namespaces
 * are collected in parallel and a failure is retried on its own). Granting that invocation and naming
 * the function to it happen here, together.
 */
export class Collector extends Construct {
  readonly scheduleFunction: ServiceFunction;
  readonly namespaceFunction: ServiceFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: CollectorProps = {}) {
    super(scope, id);
    const logging = { logRetention: props.logRetention, logLevel: props.logLevel };
    this.namespaceFunction = new ServiceFunction(this, 'Namespace', {
      entry: COLLECTOR_NAMESPACE_ENTRY,
      description: 'Tote collector: purges what is past retention in one namespace, then deletes unreferenced chunks and manifests',
      ...props.namespaceSizing,
      ...logging,
    });
    this.namespaceFunction.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    this.scheduleFunction = new ServiceFunction(this, 'Schedule', {
      entry: COLLECTOR_SCHEDULE_ENTRY,
      description: 'Tote collector: scheduled run, starts the collection of every namespace',
      ...props.scheduleSizing,
      ...logging,
    });
    this.namespaceFunction.fn.grantInvoke(this.scheduleFunction.fn);
    this.scheduleFunction.fn.addEnvironment(ENV.collectorNamespaceFunction, this.namespaceFunction.fn.functionName);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Runs the Tote chunk collector',
      schedule: props.schedule ?? events.Schedule.rate(Duration.hours(6)),
      targets: [new targets.LambdaFunction(this.scheduleFunction.fn, { retryAttempts: 2 })],
    });
  }
}
