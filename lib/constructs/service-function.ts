import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import type { RouteId } from '@contract/routes';
import { writePrecompiledValidators } from '../precompiled-validators';
import { writeSlimMimeDb } from '../slim-mime-db';
import { LOCK_FILE, REPO_ROOT, requireEntry } from '../source-layout';
import { requireIntInRange } from '../validation';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ServiceFunctionProps {
  /** Absolute path of the TypeScript entry file; it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** Seconds before Lambda stops the invocation. @default 10 */
  readonly timeoutSeconds?: number;
  /** How long the function's log group keeps events. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Powertools logger level. @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** The API routes this function serves: their request validators are precompiled into its bundle. @default none */
  readonly routes?: readonly RouteId[];
}

/** Lambda's credentials are in the environment: the SDK's default chain is swapped for that one link (see the module). */
const ENV_CREDENTIALS = path.join(REPO_ROOT, 'lambdas', 'shared', 'env-credentials.ts');

/** Build-time substitutions: esbuild resolves these imports to these files in the bundle. */
function bundleAliases(routes: readonly RouteId[] | undefined): string[] {
  return [
    `@aws-sdk/credential-provider-node=${ENV_CREDENTIALS}`,
    `mime-db=${writeSlimMimeDb()}`,
    ...(routes && routes.length > 0 ? [`@validators=${writePrecompiledValidators(routes)}`] : []),
  ];
}

/**
 * A Node.js Lambda with Tote's defaults: Node 22 on arm64, one self-contained minified bundle with
 * source maps (the local runtime loads the same bundle from cdk.out, so nothing may be external),
 * its own log group, and a role that can write to that log group and nothing else until bound.
 * What a cold start would only throw away stays out of the bundle: the SDK's credential chain beyond
 * the environment, Ajv's compiler (the routes' validators are compiled at build time) and the media
 * types no file name maps to.
 */
export class ServiceFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const memorySize = requireIntInRange('memorySize', props.memorySize ?? 512, 128, 10_240);
    const timeoutSeconds = requireIntInRange('timeoutSeconds', props.timeoutSeconds ?? 10, 1, 900);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    // An explicit role instead of AWSLambdaBasicExecutionRole, whose log rights cover every log group.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: requireEntry(props.entry),
      description: props.description,
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout: Duration.seconds(timeoutSeconds),
      role,
      logGroup,
      bundling: {
        minify: true,
        sourceMap: true,
        // Stack traces map back to lines through the map; the sources themselves only add weight.
        sourcesContent: false,
        target: 'node22',
        externalModules: [],
        // Prefer packages' ES module builds: esbuild tree-shakes them (the AWS SDK shrinks by about a
        // quarter); the output stays CommonJS.
        mainFields: ['module', 'main'],
        logLevel: nodejs.LogLevel.WARNING,
        esbuildArgs: { '--alias': bundleAliases(props.routes) },
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'tote',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
      },
    });
  }
}
