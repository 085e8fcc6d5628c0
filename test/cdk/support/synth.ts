import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../../lib/app';
import type { ToteStack } from '../../../lib/tote-stack';
import { synthesize } from '../../../local/synth/synthesize';
import { TEST_SYNTH_CACHE } from '../../support/synth-cache';

export interface Synthesized {
  readonly stack: ToteStack;
  readonly template: Template;
  /** The cloud assembly directory (holds validation-report.json). */
  readonly outdir: string;
}

/**
 * Synthesizes the real app (cdk-nag attached, as `cdk synth` does) into a temp dir, without bundling
 * the handlers, as `cdk synth --exclusively` does for stacks it does not deploy: the template is the
 * same but for asset hashes. The bundles are checked in the assembly the local runtime serves
 * (`bundledAssembly`). Call it from a `beforeAll`: it takes seconds.
 */
export function synthesizeTote(): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-cdk-test-'));
  const { app, stack } = buildApp({ outdir, context: { [cxapi.BUNDLING_STACKS]: [] } });
  app.synth();
  return { stack, template: Template.fromStack(stack), outdir };
}

export interface BundledAssembly {
  readonly dir: string;
  readonly resources: Record<string, { Properties: { Environment?: { Variables?: Record<string, unknown> } }; Metadata: Record<string, string> }>;
}

/**
 * The assembly synthesized with real esbuild bundling from the current sources, as the local runtime
 * serves it: bundling every handler takes a minute or more on our machines, so it is done once per
 * source fingerprint and shared with the integration runtime and the bench (local/synth).
 */
export async function bundledAssembly(): Promise<BundledAssembly> {
  const logFile = path.join(os.tmpdir(), `tote-cdk-test-synth-${process.pid}.log`);
  const { assemblyDir, template } = await synthesize({ cacheDir: TEST_SYNTH_CACHE, logFile });
  return { dir: assemblyDir, resources: template.Resources as unknown as BundledAssembly['resources'] };
}

/** How long `bundledAssembly` may take when nothing is cached yet, on a loaded machine. */
export const BUNDLING_TIMEOUT_MS = 600_000;

/** The directory holding a function's bundle (index.js and its source map). */
export function bundleDirOf(assembly: BundledAssembly, fn: IConstruct): string {
  return path.join(assembly.dir, assembly.resources[logicalId(fn)].Metadata['aws:asset:path']);
}

export function removeAssembly(synthesized: Synthesized | undefined): void {
  if (synthesized) fs.rmSync(synthesized.outdir, { recursive: true, force: true });
}

/** The logical id of an L2 construct's CloudFormation resource (or of an L1 itself). */
export function logicalId(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnResource;
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(resource)) as string;
}

/**
 * Renders a CloudFormation value the way cdk-nag does: `{Ref: X}` -> `<X>`, `{Fn::GetAtt: [X, Arn]}`
 * -> `<X.Arn>`, joins concatenated. Makes IAM resources readable in assertions.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return `<${String(v.Ref)}>`;
  if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** Every IAM grant of a role: rendered resource -> sorted actions, merged across its policies. */
export function grantsOf(template: Template, roleLogicalId: string): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {};
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleLogicalId }] },
  }) as Record<string, { Properties: { PolicyDocument: { Statement: Statement[] } } }>;
  for (const policy of Object.values(policies)) {
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      if (statement.Effect !== 'Allow') throw new Error('unexpected Deny statement');
      for (const resource of [statement.Resource].flat()) {
        const key = render(resource);
        grants[key] ??= new Set();
        for (const action of [statement.Action].flat()) grants[key].add(action);
      }
    }
  }
  return Object.fromEntries(Object.entries(grants).map(([resource, actions]) => [resource, [...actions].sort()]));
}

/**
 * Requires a function's bundle in a fresh Node process whose environment holds only the variables the
 * template sets (literal values as given, stand-ins for references: module scope checks presence and
 * the form of settings such as RETENTION_DAYS), and returns `typeof handler`. Proves
 * the bundle is self-contained and the stack gives the handler all the configuration it reads.
 */
export function loadBundleStandalone(assembly: BundledAssembly, fn: IConstruct): string {
  const variables = Object.entries<unknown>(assembly.resources[logicalId(fn)].Properties.Environment?.Variables ?? {});
  const bundle = path.join(bundleDirOf(assembly, fn), 'index.js');
  return execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(bundle)}).handler)`], {
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...Object.fromEntries(variables.map(([name, value]) => [name, typeof value === 'string' ? value : `stand-in-${name}`])) },
    encoding: 'utf8',
  });
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** `https://<web app distribution domain>` as the template spells it: the one origin browsers may call from. */
export function webAppOrigin({ stack }: Synthesized): unknown {
  return { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.webApp.distribution), 'DomainName'] }]] };
}
