import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { MIGRATION_ENTRIES } from '../source-layout';
import { ServiceFunction, type ServiceFunctionProps } from './service-function';

export interface DataMigrationsProps extends Pick<ServiceFunctionProps, 'logRetention' | 'logLevel' | 'memorySize' | 'timeoutSeconds'> {
  /** Ids of the migrations this code brings (lambdas/domain/migrations/catalog.ts); a new id makes a deploy run it. */
  readonly migrations: readonly string[];
  /** What must be deployed first: the functions that write the data being migrated. */
  readonly after: readonly IConstruct[];
}

/** Seconds between the provider framework's polls; also how long a deploy pauses for requests on replaced code. */
const POLL_INTERVAL = Duration.seconds(30);

/**
 * Versioned data migrations run on every deploy that brings a new one: a custom resource whose
 * provider (the CDK provider framework) calls `onEvent` once and then polls `isComplete`, which
 * migrates a slice of the table per call and saves where it stopped (lambdas/domain/migrations). The
 * resource depends on `after`, so the code that writes new data is live before old data is migrated.
 */
export class DataMigrations extends Construct {
  readonly onEvent: ServiceFunction;
  readonly isComplete: ServiceFunction;
  readonly provider: cr.Provider;
  /** The provider framework's functions' roles: their log group and invoking the handlers and the waiter, nothing else. */
  readonly frameworkRoles: readonly iam.Role[];
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DataMigrationsProps) {
    super(scope, id);
    if (props.migrations.length === 0) throw new Error('migrations must name at least one migration');
    const logging = { logRetention: props.logRetention, logLevel: props.logLevel };
    this.onEvent = new ServiceFunction(this, 'OnEvent', {
      entry: MIGRATION_ENTRIES.onEvent,
      description: 'Tote data migrations: begins the migrations a deploy brings',
      timeoutSeconds: 60,
      ...logging,
    });
    this.isComplete = new ServiceFunction(this, 'IsComplete', {
      entry: MIGRATION_ENTRIES.isComplete,
      description: 'Tote data migrations: migrates a slice of the table per poll, resumably',
      // Memory and time of the function that migrates (ServiceFunction's defaults when absent).
      memorySize: props.memorySize,
      timeoutSeconds: props.timeoutSeconds,
      ...logging,
    });
    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    // Explicit roles instead of the framework's default AWSLambdaBasicExecutionRole, whose log rights cover every log group.
    const [onEventRole, completeRole] = ['FrameworkOnEventRole', 'FrameworkCompleteRole'].map((name) => {
      const role = new iam.Role(this, name, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      providerLogs.grantWrite(role);
      return role;
    });
    this.frameworkRoles = [onEventRole, completeRole];
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEvent.fn,
      isCompleteHandler: this.isComplete.fn,
      queryInterval: POLL_INTERVAL,
      // CloudFormation's limit for a custom resource; a migration cut short resumes on the next deploy.
      totalTimeout: Duration.hours(2),
      logGroup: providerLogs,
      frameworkOnEventRole: onEventRole,
      frameworkCompleteAndTimeoutRole: completeRole,
    });
    this.resource = new CustomResource(this, 'Run', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::ToteDataMigrations',
      properties: { Migrations: [...props.migrations] },
    });
    this.resource.node.addDependency(...props.after);
  }
}
