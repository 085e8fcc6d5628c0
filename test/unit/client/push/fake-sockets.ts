/** Sockets under a test's control: it decides when each one opens, answers, is refused or drops. */
import type { PushSocket, SocketEvents, SocketFactory } from '../../../../client/src/push/socket';

export class FakeSocket implements PushSocket {
  readonly sent: unknown[] = [];
  ended?: 'closed' | 'terminated';

  constructor(
    readonly url: string,
    readonly protocols: readonly string[],
    private readonly events: SocketEvents,
    private readonly answerPings: boolean,
  ) {}

  accept(): void {
    this.events.onOpen();
  }

  refuse(status: number): void {
    this.events.onRefused(status);
    this.end('terminated');
  }

  /** The service sends a message (lost when the socket is closed). */
  message(value: unknown): void {
    if (this.ended) return;
    this.events.onMessage(JSON.stringify(value));
  }

  /** The network dropped it. */
  drop(): void {
    this.end('terminated');
  }

  send(text: string): void {
    const message = JSON.parse(text) as { action?: string };
    this.sent.push(message);
    if (this.answerPings && message.action === 'ping') this.message({ type: 'pong' });
  }

  close(): void {
    this.end('closed');
  }

  terminate(): void {
    this.end('terminated');
  }

  private end(how: 'closed' | 'terminated'): void {
    if (this.ended) return;
    this.ended = how;
    this.events.onClose(how);
  }
}

export class FakeSockets implements SocketFactory {
  readonly opened: FakeSocket[] = [];

  /** `answerPings`: every open socket answers a ping with a pong at once, as the service does. */
  constructor(private readonly answerPings = false) {}

  open(url: string, protocols: readonly string[], events: SocketEvents): FakeSocket {
    const socket = new FakeSocket(url, protocols, events, this.answerPings);
    this.opened.push(socket);
    return socket;
  }

  get last(): FakeSocket {
    const socket = this.opened.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
}
