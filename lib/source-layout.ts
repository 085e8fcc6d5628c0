import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROUTES, type RouteId } from '@contract/routes';

/**
 * Where the handler sources live. Resolved from this file rather than the working directory so
 * `cdk synth`, jest and the local runtime (which synthesizes in-process) bundle the same files.
 */
export const REPO_ROOT = path.resolve(__dirname, '..');
export const LOCK_FILE = path.join(REPO_ROOT, 'package-lock.json');

/** The `handler` names in the route table: one Lambda each, entry `lambdas/api/<handler>.ts`. */
export type ApiHandler = (typeof ROUTES)[keyof typeof ROUTES]['handler'];

/** Distinct handler names, in route-table order. */
export function apiHandlers(): readonly ApiHandler[] {
  return [...new Set(Object.values(ROUTES).map((route) => route.handler))];
}

/** True when the handler serves a route behind the authorizer (all but health), so it checks the caller's account. */
export const servesAuthorizedRoutes = (handler: ApiHandler): boolean => Object.values(ROUTES).some((route) => route.handler === handler && route.auth);

/** The routes one handler serves (start-upload and get-metadata serve two each). */
export const routesOf = (handler: ApiHandler): RouteId[] => (Object.keys(ROUTES) as RouteId[]).filter((route) => ROUTES[route].handler === handler);

export const apiHandlerEntry = (handler: ApiHandler): string => path.join(REPO_ROOT, 'lambdas', 'api', `${handler}.ts`);

export const CHUNK_TRACKER_ENTRY = path.join(REPO_ROOT, 'lambdas', 'chunk-tracker', 'handler.ts');

/** The chunk collector: the scheduled function, and the one it starts per namespace. */
export const COLLECTOR_SCHEDULE_ENTRY = path.join(REPO_ROOT, 'lambdas', 'collector', 'schedule.ts');
export const COLLECTOR_NAMESPACE_ENTRY = path.join(REPO_ROOT, 'lambdas', 'collector', 'namespace.ts');

/** The data migrations custom resource's two handlers (lambdas/migrations). */
export const MIGRATION_ENTRIES = {
  onEvent: path.join(REPO_ROOT, 'lambdas', 'migrations', 'on-event.ts'),
  isComplete: path.join(REPO_ROOT, 'lambdas', 'migrations', 'is-complete.ts'),
} as const;
export const POST_CONFIRMATION_ENTRY = path.join(REPO_ROOT, 'lambdas', 'post-confirmation', 'handler.ts');

/** The push channel's functions: the $connect authorizer, the routes, and the stream notifier; entry `lambdas/push/<handler>.ts`. */
export const PUSH_HANDLERS = ['authorize', 'connect', 'disconnect', 'ping', 'notifier'] as const;
export type PushHandler = (typeof PUSH_HANDLERS)[number];

export const pushHandlerEntry = (handler: PushHandler): string => path.join(REPO_ROOT, 'lambdas', 'push', `${handler}.ts`);

/** Throws naming the file when an entry is missing, instead of esbuild's less direct complaint. */
export function requireEntry(entry: string): string {
  if (!fs.existsSync(entry)) throw new Error(`Lambda entry ${path.relative(REPO_ROOT, entry)} does not exist`);
  return entry;
}
