/**
 * The README's walk-through, run as written. The client is the package `npm run pack:client` makes,
 * installed with `npm install -g` from an empty folder outside the repository; the blocks marked
 * `<!-- walkthrough: ... -->` run in bash, one terminal per person, with HOME and the XDG folders in
 * a temporary directory and TOTE_ENDPOINT at this suite's runtime (which stands for `npm start`).
 * The README is the script: a command that stops working there fails here.
 *
 * npm would compile better-sqlite3 for minutes on install; the install skips scripts and puts in the
 * repository's own build of the same version instead (same Node, same machine).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildClientPackage, packClientPackage, type ClientPackage } from '../../client/scripts/client-package';
import { REPO_ROOT, runtimeLogOf } from './harness/runtime-process';
import { getTarget, type Target } from './harness/target';
import { commandsOf, walkthroughBlocks } from './walkthrough/readme-blocks';
import { Terminals } from './walkthrough/terminals';

const README = join(REPO_ROOT, 'README.md');
const INSTALL_TIMEOUT_MS = 240_000;
const BLOCK_TIMEOUT_MS = 120_000;
/** What the person types when `tote signup` and `tote login` ask. */
const PASSWORD = 'Walk-through-1';

let target: Target;
let root: string;
let pkg: ClientPackage;
let prefix: string;

const local = process.env.TOTE_LOCAL_RUNTIME_JSON ? describe : describe.skip;

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
// docs/web/ is left out: the web suite rewrites its screenshots there, and jest may run it meanwhile.
const gitStatus = () =>
  execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', '.', ':(exclude)docs/web'], { cwd: REPO_ROOT, encoding: 'utf8' });

local('the README walk-through', () => {
  beforeAll(async () => {
    target = await getTarget();
    root = mkdtempSync(join(tmpdir(), 'tote-walkthrough-'));
    pkg = await buildClientPackage(join(root, 'package'));
    const tarball = packClientPackage(pkg, join(root, 'packed'));
    const empty = join(root, 'empty');
    prefix = join(root, 'prefix');
    mkdirSync(empty);
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: empty,
      stdio: 'pipe',
    });
    const installed = join(prefix, 'lib', 'node_modules', 'tote', 'node_modules', 'better-sqlite3');
    const ours = dirname(require.resolve('better-sqlite3/package.json', { paths: [REPO_ROOT] }));
    expect(readJson<{ version: string }>(join(installed, 'package.json')).version).toBe(readJson<{ version: string }>(join(ours, 'package.json')).version);
    mkdirSync(join(installed, 'build', 'Release'), { recursive: true });
    copyFileSync(join(ours, 'build', 'Release', 'better_sqlite3.node'), join(installed, 'build', 'Release', 'better_sqlite3.node'));
  }, INSTALL_TIMEOUT_MS);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the install block is what this test does, and the installed tote runs from anywhere', () => {
    // Prepare
    const [install] = walkthroughBlocks(README).filter((b) => b.terminal === 'install');

    // Act
    const version = execFileSync(join(prefix, 'bin', 'tote'), ['--version'], { cwd: tmpdir(), encoding: 'utf8' });

    // Assess
    expect(commandsOf(install.code)).toEqual(['npm run pack:client', `npm install -g ./tote-${pkg.version}.tgz`, 'tote --version']);
    expect(version).toBe(`${pkg.version}\n`);
  });

  test('`tote --help` loads neither the client nor the SDK, SQLite, the file watcher or progress bars', () => {
    expect(pkg.startupInputs.filter((input) => /node_modules\/(@aws-sdk|@smithy|better-sqlite3|chokidar|cli-progress)\/|client\/src\/client\.ts/.test(input))).toEqual([]);
    expect(pkg.startupInputs).toContain('client/src/cli/program.ts');
  });

  test(
    'every block of the walk-through runs as written, and leaves nothing in the repository',
    async () => {
      // Prepare
      const home = join(root, 'home');
      mkdirSync(home);
      const terminals = new Terminals(join(root, 'terminals'), {
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_STATE_HOME: join(home, '.local', 'state'),
        PATH: [join(prefix, 'bin'), dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
        LANG: 'C.UTF-8',
        TMPDIR: root,
        TOTE_ENDPOINT: target.apiUrl,
        TOTE_PASSWORD: PASSWORD,
        TOTE_WALKTHROUGH_RUNTIME_LOG: runtimeLogOf(target.local?.dataDir ?? ''),
      });
      const repoBefore = gitStatus();
      const blocks = walkthroughBlocks(README).filter((b) => b.terminal !== 'install');

      // Act + Assess: block by block, each must end well
      for (const block of blocks) {
        const run = await terminals.run(block, BLOCK_TIMEOUT_MS);
        if (run.code !== 0) throw new Error(`README line ${block.line} (${block.terminal}) exited ${run.code}:\n${block.code}\n--- output ---\n${run.output}`);
      }

      // Assess: bob's session is in his folder, alice's where XDG says, and her sync folder has her video
      expect(blocks.map((b) => b.terminal)).toEqual(expect.arrayContaining(['alice', 'bob']));
      expect(existsSync(join(home, 'tote-walkthrough', 'bob', 'config', 'credentials.json'))).toBe(true);
      expect(existsSync(join(home, '.config', 'tote', 'credentials.json'))).toBe(true);
      expect(readFileSync(join(home, 'Tote', 'videos', 'video.bin')).equals(readFileSync(join(home, 'tote-walkthrough', 'alice', 'video.bin')))).toBe(true);
      expect(gitStatus()).toBe(repoBefore);
    },
    20 * BLOCK_TIMEOUT_MS,
  );
});
