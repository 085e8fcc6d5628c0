/**
 * The output host: the only part of the client that knows about the terminal. Commands hand it
 * engine events, their result and their failure; it renders them as progress bars and text for a
 * person at a terminal, as plain quiet text when piped, or as JSON lines with --json.
 */
import type { ToteError } from '../../core/errors';
import type { ToteEvent } from '../../events';

export interface OutputHost {
  event(event: ToteEvent): void;
  /** A command's outcome: `data` for machines, `lines` for people. */
  result(command: string, data: object, lines: readonly string[]): void;
  failure(error: ToteError): void;
  /** Stops any live rendering; called once, before the process exits. */
  close(): void;
}

/** Where a host writes; process.stdout/stderr or test doubles. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}
