/**
 * The installable `tote`: the CLI bundled by esbuild (plain JavaScript, no TypeScript or tsx at run
 * time), its SQL migrations, the licences of what the bundle contains, and a package.json whose only
 * dependency is better-sqlite3 (native: npm installs the build for the user's platform).
 *
 * The bundle is split (ES modules, esbuild's code splitting): `tote --help` loads commander and the
 * command table only, and the client, the AWS SDK and SQLite come in with the first command that
 * needs them (client/src/cli/on-demand.ts, whose requires become imports here). One file would make
 * every start compile all of it, about 1 MiB, which alone takes longer than the start-up budget
 * (BENCHMARKS.md).
 *
 *   npm run build:client       stages the package in dist/client/
 *   npm run pack:client        ...and packs it: ./tote-<version>.tgz, for `npm install -g ./tote-<version>.tgz`
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { build, type Metafile, type Plugin } from 'esbuild';

const REPO = resolve(__dirname, '..', '..');
export const CLIENT_PACKAGE_DIR = join(REPO, 'dist', 'client');
/** Left out of the bundle and installed by npm: native code. */
const EXTERNAL = ['better-sqlite3'];
/** The entry; its chunks sit beside it. */
const BUNDLE = 'tote.mjs';
/**
 * CommonJS packages inside ES module output still call require() and read __dirname (the state
 * store finds its migrations there): give every output file both, bound to its own location.
 */
const ESM_PRELUDE = [
  '#!/usr/bin/env node',
  "import { createRequire as __toteRequire } from 'node:module';",
  "import { fileURLToPath as __toteFilePath } from 'node:url';",
  'const require = __toteRequire(import.meta.url);',
  'const __filename = __toteFilePath(import.meta.url);',
  "const __dirname = __toteFilePath(new URL('.', import.meta.url));",
].join('\n');
const NOTICES = 'THIRD-PARTY-NOTICES.txt';

interface RootManifest {
  readonly version: string;
  readonly description: string;
  readonly license: string;
  readonly engines: Record<string, string>;
}

/** on-demand.ts's loaders as dynamic imports: the split points of the bundle. */
const ON_DEMAND: Plugin = {
  name: 'on-demand',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]client[\\/]src[\\/]cli[\\/]on-demand\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replace(/\brequire\(/g, 'import('),
      loader: 'ts',
    }));
  },
};

export interface ClientPackage {
  readonly dir: string;
  readonly version: string;
  /** Every JavaScript file of the bundle, and what `tote --help` loads of it. */
  readonly bundleBytes: number;
  readonly startupBytes: number;
  /** The source files (repository-relative) `tote --help` loads. */
  readonly startupInputs: readonly string[];
}

/** Builds the package into `dir` (emptied first). */
export async function buildClientPackage(dir: string = CLIENT_PACKAGE_DIR): Promise<ClientPackage> {
  const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as RootManifest;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await build({
    absWorkingDir: REPO,
    entryPoints: { tote: join(REPO, 'client', 'src', 'cli', 'bin.ts') },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    target: `node${/\d+/.exec(root.engines.node)?.[0] ?? '20'}`,
    format: 'esm',
    external: EXTERNAL,
    tsconfig: join(REPO, 'tsconfig.json'),
    banner: { js: ESM_PRELUDE },
    plugins: [ON_DEMAND],
    minify: true,
    // Error names reach people (`tote: ... (CODE)` comes from codes, but the SDK's exceptions are matched by name).
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  // The state store reads its migrations from beside the code that runs (migrate.ts: __dirname/migrations).
  cpSync(join(REPO, 'client', 'src', 'state', 'migrations'), join(dir, 'migrations'), { recursive: true });
  writeFileSync(join(dir, NOTICES), thirdPartyNotices(result.metafile));
  const manifest = {
    name: 'tote',
    version: root.version,
    description: 'The Tote client: store, share and sync files (tote CLI and sync daemon)',
    license: root.license,
    bin: { tote: BUNDLE },
    files: ['*.mjs', 'migrations', NOTICES],
    engines: root.engines,
    // The exact versions the repository was tested with (its lockfile's), not the ranges it accepts.
    dependencies: Object.fromEntries(EXTERNAL.map((name) => [name, installedVersion(name)])),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const outputs = result.metafile.outputs;
  const bytes = (files: Iterable<string>) => [...files].reduce((sum, file) => sum + outputs[file].bytes, 0);
  const entry = Object.keys(outputs).find((file) => file.endsWith(`/${BUNDLE}`)) as string;
  const startup = staticallyLoaded(outputs, entry);
  return {
    dir,
    version: root.version,
    bundleBytes: bytes(Object.keys(outputs)),
    startupBytes: bytes(startup),
    startupInputs: [...startup].flatMap((file) => Object.keys(outputs[file].inputs)),
  };
}

/** An output file and every file it imports statically, transitively: what loads before any code runs. */
function staticallyLoaded(outputs: Metafile['outputs'], entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry) || !outputs[entry]) return seen;
  seen.add(entry);
  for (const imported of outputs[entry].imports) if (imported.kind === 'import-statement') staticallyLoaded(outputs, imported.path, seen);
  return seen;
}

function installedVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`, { paths: [REPO] }), 'utf8')) as { version: string };
  return manifest.version;
}

/** `npm pack` of a built package into `destination`; answers the tarball's path. */
export function packClientPackage(pkg: ClientPackage, destination: string = REPO): string {
  mkdirSync(destination, { recursive: true });
  const out = execFileSync('npm', ['pack', pkg.dir, '--pack-destination', destination, '--json', '--silent'], { encoding: 'utf8' });
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  return join(destination, filename);
}

/** Every bundled package's name and version, with its licence text (once per distinct text): the bundle ships their code. */
function thirdPartyNotices(metafile: Metafile): string {
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(join(REPO, input.slice(0, match.index + match[0].length - 1)));
  }
  const byText = new Map<string, string[]>();
  for (const dir of [...packages].sort()) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : `License: ${manifest.license ?? 'see the package'}`;
    byText.set(text, [...(byText.get(text) ?? []), `${manifest.name} ${manifest.version}`]);
  }
  const sections = [...byText].map(([text, names]) => `${names.join('\n')}\n\n${text}`);
  return `The tote bundle contains code from these packages, under these licences.\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
}

if (require.main === module) {
  const command = process.argv[2];
  if (command !== 'build' && command !== 'pack') {
    process.stderr.write('usage: tsx client/scripts/client-package.ts build|pack\n');
    process.exit(2);
  }
  void buildClientPackage().then((pkg) => {
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    process.stdout.write(`built ${join(pkg.dir, BUNDLE)}: ${kib(pkg.bundleBytes)}, of which \`tote --help\` loads ${kib(pkg.startupBytes)}\n`);
    if (command === 'pack') {
      const tarball = packClientPackage(pkg);
      process.stdout.write(`packed ${tarball}: install it with \`npm install -g ${tarball}\`\n`);
    }
  });
}

