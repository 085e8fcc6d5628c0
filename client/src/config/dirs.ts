/**
 * Where the client keeps things on this machine, following the XDG base directory spec: settings
 * and credentials under the config dir, the SQLite state under the state dir. Relative XDG values
 * are ignored, as the spec requires.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

function xdgDir(env: Env, override: string, xdgVar: string, fallback: string[]): string {
  const explicit = env[override];
  if (explicit) return resolve(explicit);
  const xdg = env[xdgVar];
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ...fallback), 'tote');
}

/** TOTE_CONFIG_DIR, else $XDG_CONFIG_HOME/tote, else ~/.config/tote. */
export const defaultConfigDir = (env: Env = process.env): string => xdgDir(env, 'TOTE_CONFIG_DIR', 'XDG_CONFIG_HOME', ['.config']);

/** TOTE_STATE_DIR, else $XDG_STATE_HOME/tote, else ~/.local/state/tote. */
export const defaultStateDir = (env: Env = process.env): string => xdgDir(env, 'TOTE_STATE_DIR', 'XDG_STATE_HOME', ['.local', 'state']);
