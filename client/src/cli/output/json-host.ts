/**
 * --json: one JSON object per line on stdout: every engine event as it happens (`type` is the
 * event's code), then `{"type":"result",...}` or `{"type":"error",...}` last. Scripts read the last
 * line, or filter by type.
 */
import type { ToteError } from '../../core/errors';
import type { ToteEvent } from '../../events';
import type { OutputHost, OutputStream } from './host';

export class JsonLinesHost implements OutputHost {
  constructor(private readonly out: OutputStream) {}

  event(event: ToteEvent): void {
    this.line(event);
  }

  result(command: string, data: object): void {
    this.line({ type: 'result', command, ...data });
  }

  failure(error: ToteError): void {
    this.line({
      type: 'error',
      code: error.code,
      message: error.message,
      ...(error.subject !== undefined && { subject: error.subject }),
      ...(error.status !== undefined && { status: error.status }),
      ...(error.details !== undefined && { details: error.details }),
    });
  }

  close(): void {}

  private line(value: object): void {
    this.out.write(JSON.stringify(value) + '\n');
  }
}
