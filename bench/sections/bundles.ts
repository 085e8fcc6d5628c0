/**
 * Each Lambda bundle as the CDK app builds it (esbuild, from the synthesized assembly the runtime
 * uses): its size, and how long a fresh Node process takes to import it with the function's
 * environment, which is the module part of a cold start (the handlers build their clients then).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize } from '../../local/synth/synthesize';
import { TEST_SYNTH_CACHE } from '../../test/support/synth-cache';
import { fixed } from '../measure';
import type { Table } from '../report';

const RUNS = 5;
/** Issue 14's goals: 300 KB (293 KiB) per bundle and 50 ms to import it. */
const GOAL_KIB = 293;
const GOAL_MS = 50;

interface LambdaResource {
  readonly Metadata?: Record<string, unknown>;
  readonly Properties: { readonly Handler?: string; readonly Environment?: { readonly Variables?: Record<string, unknown> } };
}

const IMPORT_TIMER = `
const { pathToFileURL } = require('node:url');
const file = process.argv[1];
const start = process.hrtime.bigint();
const loaded = file.endsWith('.mjs') ? import(pathToFileURL(file).href) : Promise.resolve(require(file));
loaded.then(() => process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6)));
`;

export async function bundles(workDir: string): Promise<Table> {
  const synth = await synthesize({ cacheDir: TEST_SYNTH_CACHE, logFile: join(workDir, 'synth.log') });
  const functions = Object.values(synth.template.Resources as Record<string, { Type: string } & LambdaResource>).filter(
    // Tote's own functions (ServiceFunction), not the CDK's custom resource framework beside them.
    (r) => r.Type === 'AWS::Lambda::Function' && typeof r.Metadata?.['aws:asset:path'] === 'string' && String(r.Metadata['aws:cdk:path']).endsWith('/Function/Resource'),
  );
  const rows = functions
    .map((r) => {
      const dir = join(synth.assemblyDir, String(r.Metadata?.['aws:asset:path']));
      const entry = readdirSync(dir).find((f) => /^index\.(c|m)?js$/.test(f)) as string;
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
      for (const [name, value] of Object.entries(r.Properties.Environment?.Variables ?? {})) env[name] = typeof value === 'string' ? value : 'bench';
      const times = Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, ['-e', IMPORT_TIMER, join(dir, entry)], { env, encoding: 'utf8' })));
      const median = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
      return { name: functionName(String(r.Metadata?.['aws:cdk:path'])), bytes: statSync(join(dir, entry)).size, median };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    title: 'Lambda bundles',
    columns: ['Function', 'Bundle, KiB', 'Cold import, ms (median of 5)'],
    rows: rows.map((r) => [r.name, fixed(r.bytes / 1024, 0), fixed(r.median, 0)]),
    note: `Minified esbuild bundles (source maps beside them, not counted); goal 300 KB (${GOAL_KIB} KiB) and ${GOAL_MS} ms. Imported by Node ${process.version} with NODE_OPTIONS as deployed (--enable-source-maps: Node reads the map at import); Lambda runs Node 22 on arm64, so read these as relative.`,
  };
}

/**
 * `Tote/Api-start-upload/Function/Resource` -> `start-upload`; `Tote/ChunkTracker/Handler/...` ->
 * `chunk-tracker`; `Tote/Push/Push-connect/...` -> `push-connect`; `Tote/Collector/Namespace/...` -> `collector-namespace`.
 */
function functionName(cdkPath: string): string {
  const kebab = (id: string) => id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  const parts = cdkPath.split('/').slice(1, -2).map(kebab).filter((part) => part !== 'handler');
  const api = parts.length === 1 ? /^api-(.+)$/.exec(parts[0]) : null;
  if (api) return api[1];
  // `push`, `push-connect`: the construct's own id already names its parent.
  return parts.filter((part, i) => !parts[i + 1]?.startsWith(`${part}-`)).join('-');
}
