/**
 * The parts of the CLI loaded only when a command runs, so that `tote --help` starts without the
 * client, the AWS SDK, SQLite or the file watcher. Run from the sources (tsx, jest) these are plain
 * requires. The package's bundler (client/scripts/client-package.ts) turns each `require(` below into
 * `import(`, and esbuild makes every such import a chunk that is read only when the call is made.
 */
export const loadRunner = async (): Promise<typeof import('./runner')> => require('./runner');
export const loadSyncEngine = async (): Promise<typeof import('../sync/engine')> => require('../sync/engine');
export const loadWatcher = async (): Promise<typeof import('../sync/watcher')> => require('../sync/watcher');
