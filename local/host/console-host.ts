/**
 * The output host of `npm start`: the only place the runtime's events become terminal text. Start-up
 * phases are summarized once everything answers; requests and function logs stream as they happen.
 */
import type { EventSink, RuntimeEvent } from './events';

export interface ConsoleHostOptions {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function consoleHost({ out, err }: ConsoleHostOptions): EventSink {
  const phases: string[] = [];
  const line = (stream: NodeJS.WritableStream, text: string) => stream.write(`${text}\n`);

  const render: { [K in RuntimeEvent['type']]: (event: Extract<RuntimeEvent, { type: K }>) => void } = {
    starting: (e) =>
      line(out, `Starting the Tote local runtime (data in ${e.dataDir}); after a code change the CDK app is synthesized again (about 20 s).`),
    phase: (e) => phases.push(`${e.phase} ${seconds(e.ms)}`),
    ready: (e) => {
      const width = Math.max(...Object.keys(e.urls).map((name) => name.length));
      for (const [name, url] of Object.entries(e.urls)) line(out, `  ${name.padEnd(width)}  ${url}`);
      line(out, `Started in ${seconds(e.ms)}${phases.length ? ` (${phases.join(', ')})` : ''}`);
      line(out, 'Sign-up confirmation codes appear below; confirm with `tote confirm <email> <code>`. Ctrl-C stops.');
      if (e.urls['Web app']) line(out, `Tote web app: open ${e.urls['Web app']} in a browser`);
      line(out, `Tote local runtime ready at ${e.urls.API}`);
    },
    'confirmation-code': (e) =>
      line(out, `Confirmation code for ${e.destination}: ${e.code}   (tote confirm ${e.destination} ${e.code})`),
    'function-log': (e) => line(e.stream === 'stderr' ? err : out, `  λ ${e.functionName}  ${e.line}`),
    request: (e) => line(out, `  ${e.server.toUpperCase().padEnd(6)} ${e.method} ${e.path} ${e.status} ${e.ms} ms`),
    warning: (e) => line(err, `warning: ${e.message}`),
    stopping: () => line(out, 'Stopping...'),
    stopped: (e) => line(out, `Stopped every emulator and function in ${seconds(e.ms)}.`),
  };
  return (event) => (render[event.type] as (e: RuntimeEvent) => void)(event);
}
