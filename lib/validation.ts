/**
 * Prop checks shared by the constructs: each throws an Error that names the prop and the bad value,
 * so a wrong prop fails `cdk synth` instead of a deployment half an hour later.
 */
import { Token } from 'aws-cdk-lib';

/** Accepts integers in [min, max]; tokens are not expected here (these are build-time numbers). */
export function requireIntInRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got ${value}`);
  }
  return value;
}

/**
 * A browser origin as CORS compares it: scheme, host and optional port, nothing else. A trailing
 * slash or path never matches an `Origin` header, so it is a mistake worth stopping early.
 */
export function requireWebOrigins(name: string, origins: readonly string[]): readonly string[] {
  if (origins.length === 0) throw new Error(`${name} must list at least one origin`);
  for (const origin of origins) {
    // A deploy-time value (the web app distribution's domain) is checked where it is built.
    if (Token.isUnresolved(origin)) continue;
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin)) {
      throw new Error(`${name} entries must look like https://host[:port] (no path, no wildcard), got "${origin}"`);
    }
  }
  return origins;
}
