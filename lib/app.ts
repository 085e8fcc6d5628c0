import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from './source-layout';
import { ToteStack, type ToteStackProps } from './tote-stack';

export interface BuildAppProps {
  /** Cloud assembly directory. @default the CLI's (CDK_OUTDIR) or a temp dir */
  readonly outdir?: string;
  /** Extra context, applied over cdk.json's context and the CLI's default metadata switches. */
  readonly context?: Record<string, unknown>;
  /** Props of the one stack. */
  readonly stack?: ToteStackProps;
}

/**
 * What the CDK CLI would pass, so an in-process synth yields the same template as `cdk synth`:
 * cdk.json's feature flags, plus the path and asset metadata the CLI enables by default (the local
 * runtime finds each function's bundle through `aws:asset:path`).
 */
function cliEquivalentContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return {
    ...cdkJson.context,
    [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true,
    [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
  };
}

/** Context key of the retention setting: `cdk deploy -c retentionDays=60`, or cdk.json's context (the local runtime too). */
export const RETENTION_CONTEXT = 'retentionDays';

/** Stack settings given as context (strings on the command line, numbers in cdk.json). */
function settingsFromContext(app: App): Pick<ToteStackProps, 'retentionDays'> {
  const retention: unknown = app.node.tryGetContext(RETENTION_CONTEXT);
  return retention === undefined ? {} : { retentionDays: Number(retention) };
}

/**
 * Builds the Tote app: one stack `Tote`, checked by cdk-nag's AwsSolutions pack (violations fail the
 * synth). Used by bin/tote.ts, the tests and the local runtime, which calls `app.synth()` itself.
 */
export function buildApp(props: BuildAppProps = {}): { app: App; stack: ToteStack } {
  const app = new App({ outdir: props.outdir, context: { ...cliEquivalentContext(), ...props.context } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const stack = new ToteStack(app, 'Tote', { ...settingsFromContext(app), ...props.stack });
  return { app, stack };
}
