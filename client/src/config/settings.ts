/** config.json in the config dir: what `tote login` remembers for the next commands (the endpoint). */
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file';

export interface Settings {
  /** The service `tote login` last signed in to. */
  readonly endpoint?: string;
}

const settingsPath = (configDir: string): string => join(configDir, 'config.json');

export const readSettings = (configDir: string): Promise<Settings> => readJsonFile<Settings>(settingsPath(configDir), {});

export async function updateSettings(configDir: string, change: Partial<Settings>): Promise<void> {
  const current = await readSettings(configDir);
  await writeJsonFile(settingsPath(configDir), { ...current, ...change }, 0o600);
}
