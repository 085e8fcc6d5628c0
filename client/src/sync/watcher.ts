/**
 * Where the daemon hears about local changes: a replaceable event source (tests drive their own),
 * chokidar by default (inotify, FSEvents, ReadDirectoryChangesW underneath, with polling as its own
 * fallback). A source only says "something changed here"; the pass's scan decides what, so a lost or
 * duplicated event costs at most a late or an idle pass, and the periodic reconciliation scan
 * catches anything a watcher missed.
 */
import { watch, type FSWatcher } from 'chokidar';
import { relative, sep } from 'node:path';
import { STATE_FOLDER } from './ignore-rules';

export interface ChangeSource {
  /** Starts reporting changed paths (relative to the root, '/'-separated); resolves once watching. */
  start(onChange: (rel: string) => void, onError: (error: Error) => void): Promise<void>;
  close(): Promise<void>;
}

export class ChokidarSource implements ChangeSource {
  private watcher?: FSWatcher;

  constructor(private readonly root: string) {}

  async start(onChange: (rel: string) => void, onError: (error: Error) => void): Promise<void> {
    const relOf = (path: string) => relative(this.root, path).split(sep).join('/');
    // The folder's own state changes on every pass: watching it would wake the daemon forever.
    const ignored = (path: string) => {
      const rel = relOf(path);
      return rel === STATE_FOLDER || rel.startsWith(`${STATE_FOLDER}/`);
    };
    const watcher = watch(this.root, { ignoreInitial: true, followSymlinks: false, ignored });
    this.watcher = watcher;
    watcher.on('all', (_event, path) => onChange(relOf(path)));
    watcher.on('error', (error) => onError(error instanceof Error ? error : new Error(String(error))));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    await this.watcher?.close();
  }
}
