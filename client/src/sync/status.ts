/**
 * What `tote status` reads: each running daemon writes its folder's state to <folder>/.tote/status.json
 * whenever it changes, and every folder ever linked on this machine is listed in the user's state dir
 * (sync-folders.json). A status whose process is gone is reported as not running.
 */
import { join, resolve } from 'node:path';
import { readJsonFile, writeJsonFile } from '../config/json-file';
import type { SyncState } from '../events';
import { STATE_FOLDER } from './ignore-rules';

export interface FolderError {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export interface FolderStatus {
  readonly root: string;
  readonly remoteRoot: string;
  readonly pid: number;
  readonly state: SyncState;
  /** Files with work left: operations planned or waiting. */
  readonly pending: number;
  readonly errors: readonly FolderError[];
  /** When the last pass ended. */
  readonly lastSyncAt?: string;
  /** When the daemon stopped (absent while it runs, and when it was killed). */
  readonly stoppedAt?: string;
  readonly updatedAt: string;
}

export interface RegisteredFolder {
  readonly root: string;
  readonly remoteRoot: string;
}

const STATUS_FILE = 'status.json';
const REGISTRY_FILE = 'sync-folders.json';

export const statusPath = (root: string): string => join(root, STATE_FOLDER, STATUS_FILE);

export const writeStatus = (status: FolderStatus): Promise<void> => writeJsonFile(statusPath(status.root), status, 0o644);

export async function readStatus(root: string): Promise<FolderStatus | undefined> {
  const status = await readJsonFile<Partial<FolderStatus>>(statusPath(root), {});
  return typeof status.pid === 'number' && typeof status.state === 'string' ? (status as FolderStatus) : undefined;
}

/** Whether a process with this id exists (one we may not signal still exists). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function registeredFolders(stateDir: string): Promise<RegisteredFolder[]> {
  const registry = await readJsonFile<{ folders?: RegisteredFolder[] }>(join(stateDir, REGISTRY_FILE), {});
  return Array.isArray(registry.folders) ? registry.folders : [];
}

/** Adds (or updates) a folder in the registry of synced folders. */
export async function registerFolder(stateDir: string, folder: RegisteredFolder): Promise<void> {
  const root = resolve(folder.root);
  const others = (await registeredFolders(stateDir)).filter((f) => f.root !== root);
  await writeJsonFile(join(stateDir, REGISTRY_FILE), { folders: [...others, { ...folder, root }] }, 0o600);
}
