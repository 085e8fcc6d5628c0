/**
 * Configuration from the environment, read once at module scope by each handler. A missing variable
 * throws during cold start, so a misconfigured function fails its first invocation loudly instead of
 * answering with half a configuration.
 */
import { ENV } from '@contract/env';

export type ConfigKey = keyof typeof ENV;

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Reads the named settings (names from the contract's ENV table); throws on the first one missing. */
export function readConfig<K extends ConfigKey>(...keys: K[]): Record<K, string> {
  const config = {} as Record<K, string>;
  for (const key of keys) config[key] = requireEnv(ENV[key]);
  return config;
}

/** The retention setting (RETENTION_DAYS): whole days, at least one; anything else fails the cold start. */
export function readRetention(): { readonly days: number } {
  const raw = requireEnv(ENV.retentionDays);
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) throw new Error(`environment variable ${ENV.retentionDays} must be a whole number of days, got ${raw}`);
  return { days };
}
