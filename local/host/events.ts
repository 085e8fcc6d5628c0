/**
 * Everything the runtime has to tell a person, as coded events. Modules emit; only an output host
 * (local/host/console-host.ts for `npm start`, nothing or a collector for tests) decides what to show.
 */
export type RuntimeEvent =
  | { readonly type: 'starting'; readonly dataDir: string }
  | { readonly type: 'phase'; readonly phase: string; readonly ms: number }
  | { readonly type: 'ready'; readonly urls: Readonly<Record<string, string>>; readonly ms: number }
  | { readonly type: 'confirmation-code'; readonly destination: string; readonly code: string }
  | {
      readonly type: 'function-log';
      readonly functionName: string;
      readonly stream: 'stdout' | 'stderr';
      readonly line: string;
    }
  | {
      readonly type: 'request';
      readonly server: 'api' | 'edge' | 'socket';
      readonly method: string;
      readonly path: string;
      readonly status: number;
      readonly ms: number;
    }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'stopping' }
  | { readonly type: 'stopped'; readonly ms: number };

export type EventSink = (event: RuntimeEvent) => void;

/** Events a person needs even in quiet mode; the rest are per-request chatter. */
const ESSENTIAL: ReadonlySet<RuntimeEvent['type']> = new Set(['starting', 'ready', 'confirmation-code', 'warning']);

export function quietFilter(sink: EventSink): EventSink {
  return (event) => {
    if (ESSENTIAL.has(event.type)) sink(event);
  };
}

export const discard: EventSink = () => undefined;
