/**
 * Synthesizes the CDK app (lib/app.ts) into the directory given as argv[2] and reports the stack's
 * template file to the parent over IPC. Runs in its own process so the bundler's console output lands
 * in the synth log and aws-cdk-lib's memory is returned when it exits.
 */
import { buildApp } from '../../lib/app';

/** Lambda assets get `aws:asset:path` metadata only when asked, as the CDK CLI asks; the runtime reads it. */
const ASSET_METADATA = { 'aws:cdk:enable-asset-metadata': true };

const outdir = process.argv[2];
if (!outdir || !process.send) throw new Error('usage: forked with IPC, argv[2] = output directory');
const { app, stack } = buildApp({ outdir, context: ASSET_METADATA });
const assembly = app.synth();
const artifact = assembly.getStackArtifact(stack.artifactId);
process.send({ templateFile: artifact.templateFullPath, stackName: artifact.stackName }, () => process.exit(0));
