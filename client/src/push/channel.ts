/**
 * The push channel of one account at one endpoint: a WebSocket (contract/push.ts) that says "your
 * feed moved" and nothing else; the change feed stays the truth. The channel:
 * - connects to the URL GET /health announces, offering the access token as a subprotocol, and asks
 *   for a fresh token after a refusal;
 * - pings well inside API Gateway's 10-minute idle timeout, and drops a connection that leaves a
 *   ping unanswered (half-open TCP, a sleeping laptop's NAT entry gone);
 * - replaces its connection before API Gateway's 2-hour limit, make before break, so no hint falls
 *   into a gap;
 * - reconnects after a drop with exponential backoff and full jitter (many devices after one outage
 *   must not come back in step), and asks /health again later when the service has no push at all.
 * Listeners hear hints and whether the channel is up; a listener that was told "up" after "down"
 * reads the feed, since hints sent meanwhile are lost. Timers are the global ones (tests fake them).
 */
import { parsePushMessage, PUSH, pushProtocols } from '@contract/push';
import type { TokenSource } from '../core/api/client';
import { toToteError } from '../core/errors';
import type { EventSink, PushState } from '../events';
import { backoffDelay, type BackoffShape } from '../core/retry/backoff';
import type { PushSocket, SocketFactory } from './socket';

export interface PushListener {
  /** A feed this account reads moved. */
  hint(): void;
  /** The channel came up (true) or went down (false). */
  state(connected: boolean): void;
}

export interface PushTuning {
  readonly pingEveryMs: number;
  /** A ping unanswered this long drops the connection. */
  readonly pongTimeoutMs: number;
  /** A connection is replaced after this long, less up to `rotateJitterMs`. */
  readonly rotateAfterMs: number;
  readonly rotateJitterMs: number;
  readonly reconnect: BackoffShape;
  /** A connection open this long resets the backoff. */
  readonly stableAfterMs: number;
  /** How long to wait before asking again when there is no push channel to connect to. */
  readonly unavailableRetryMs: number;
}

export const DEFAULT_PUSH_TUNING: PushTuning = {
  pingEveryMs: 4 * 60_000,
  pongTimeoutMs: 15_000,
  rotateAfterMs: PUSH.maxConnectionSeconds * 1000 - 15 * 60_000,
  rotateJitterMs: 5 * 60_000,
  reconnect: { baseMs: 1_000, capMs: 60_000 },
  stableAfterMs: 60_000,
  unavailableRetryMs: 10 * 60_000,
};

export interface PushChannelDeps {
  /** The push URL the service announces (GET /health), or undefined when it has none. */
  readonly discover: () => Promise<string | undefined>;
  readonly tokens: TokenSource;
  readonly sockets: SocketFactory;
  readonly emit: EventSink;
  readonly tuning?: Partial<PushTuning>;
  readonly random?: () => number;
}

interface Connection {
  readonly socket: PushSocket;
  readonly timers: Set<ReturnType<typeof setTimeout>>;
  pongDue?: ReturnType<typeof setTimeout>;
}

export class PushChannel {
  private readonly tuning: PushTuning;
  private readonly listeners = new Set<PushListener>();
  private active?: Connection;
  /** A connection being opened: the first one, a reconnect, or the replacement of `active`. */
  private pending?: Connection;
  private retry?: ReturnType<typeof setTimeout>;
  private attempts = 0;
  private refreshToken = false;
  private running = false;
  private dialing = false;

  constructor(private readonly deps: PushChannelDeps) {
    this.tuning = { ...DEFAULT_PUSH_TUNING, ...deps.tuning };
  }

  get connected(): boolean {
    return this.active !== undefined;
  }

  /** Listens; the first listener starts the channel, the last one leaving stops it. */
  subscribe(listener: PushListener): () => void {
    this.listeners.add(listener);
    if (!this.running) {
      this.running = true;
      void this.dial();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private stop(): void {
    this.running = false;
    clearTimeout(this.retry);
    for (const connection of [this.active, this.pending]) if (connection) this.discard(connection, 'close');
    this.active = this.pending = undefined;
    this.report('stopped');
  }

  private async dial(): Promise<void> {
    if (!this.running || this.pending || this.dialing) return;
    this.dialing = true;
    try {
      await this.open();
    } finally {
      this.dialing = false;
    }
  }

  private async open(): Promise<void> {
    if (!this.active) this.report('connecting');
    let url: string | undefined;
    let token: string;
    try {
      url = await this.deps.discover();
      if (url === undefined) return this.unavailable('the service announces no push channel');
      token = this.refreshToken ? await this.deps.tokens.refreshedAccessToken() : await this.deps.tokens.accessToken();
    } catch (thrown) {
      const error = toToteError(thrown);
      if (error.code === 'NOT_LOGGED_IN') return this.unavailable(error.message);
      return this.retryLater(error.message);
    }
    if (!this.running || this.pending) return;
    this.refreshToken = false;
    const connection: Connection = {
      timers: new Set(),
      socket: this.deps.sockets.open(url, pushProtocols(token), {
        onOpen: () => this.opened(connection),
        onMessage: (text) => this.received(connection, text),
        onRefused: (status) => {
          if (status === 401 || status === 403) this.refreshToken = true;
        },
        onClose: (reason) => this.closed(connection, reason),
      }),
    };
    this.pending = connection;
  }

  private opened(connection: Connection): void {
    if (connection !== this.pending) return;
    this.pending = undefined;
    const replaced = this.active;
    this.active = connection;
    this.every(connection, this.tuning.pingEveryMs, () => this.ping(connection));
    this.after(connection, this.tuning.stableAfterMs, () => (this.attempts = 0));
    const rotateIn = this.tuning.rotateAfterMs - Math.floor((this.deps.random ?? Math.random)() * this.tuning.rotateJitterMs);
    this.after(connection, rotateIn, () => void this.dial());
    if (replaced) this.discard(replaced, 'close');
    else {
      this.report('connected');
      for (const listener of this.listeners) listener.state(true);
    }
  }

  private received(connection: Connection, text: string): void {
    // Anything heard shows the path is alive.
    clearTimeout(connection.pongDue);
    connection.pongDue = undefined;
    if (parsePushMessage(text)?.type !== 'changes') return;
    this.deps.emit({ type: 'push.hint' });
    for (const listener of this.listeners) listener.hint();
  }

  private ping(connection: Connection): void {
    connection.pongDue ??= this.after(connection, this.tuning.pongTimeoutMs, () => connection.socket.terminate());
    connection.socket.send(JSON.stringify({ action: PUSH.pingAction }));
  }

  private closed(connection: Connection, reason: string): void {
    this.discard(connection);
    if (connection === this.pending) {
      this.pending = undefined;
      // A replacement that failed leaves the working connection alone; it is tried again later.
      if (this.active) this.after(this.active, this.nextDelay(), () => void this.dial());
      else this.retryLater(reason);
    } else if (connection === this.active) {
      this.active = undefined;
      for (const listener of this.listeners) listener.state(false);
      this.retryLater(reason);
    }
  }

  private retryLater(reason: string): void {
    if (!this.running) return;
    const delay = this.nextDelay();
    this.report('disconnected', { retryInMs: delay, reason });
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.dial(), delay);
  }

  private unavailable(reason: string): void {
    if (!this.running) return;
    this.report('unavailable', { retryInMs: this.tuning.unavailableRetryMs, reason });
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.dial(), this.tuning.unavailableRetryMs);
  }

  private nextDelay(): number {
    return backoffDelay(this.attempts++, this.tuning.reconnect, this.deps.random);
  }

  private discard(connection: Connection, how?: 'close'): void {
    for (const timer of connection.timers) clearTimeout(timer);
    connection.timers.clear();
    clearTimeout(connection.pongDue);
    if (how === 'close') connection.socket.close();
  }

  private after(connection: Connection, ms: number, fn: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      connection.timers.delete(timer);
      fn();
    }, ms);
    connection.timers.add(timer);
    return timer;
  }

  private every(connection: Connection, ms: number, fn: () => void): void {
    this.after(connection, ms, () => {
      fn();
      this.every(connection, ms, fn);
    });
  }

  private report(state: PushState, details: { retryInMs?: number; reason?: string } = {}): void {
    this.deps.emit({ type: 'push.state', state, ...details });
  }
}
