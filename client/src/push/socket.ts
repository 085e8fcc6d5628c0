/**
 * The push channel's one WebSocket, behind a small interface so the channel's state machine can be
 * driven by tests; `wsSockets` opens real ones with the `ws` library (Node 20 has no WebSocket client).
 * Every socket reports exactly one close, whether it never opened, was refused or dropped later.
 */
import WebSocket from 'ws';

export interface SocketEvents {
  onOpen(): void;
  onMessage(text: string): void;
  /** The handshake got an HTTP answer instead of a switch (401 and 403 mean the token was refused). */
  onRefused(status: number): void;
  onClose(reason: string): void;
}

export interface PushSocket {
  send(text: string): void;
  /** A goodbye, then closed. */
  close(): void;
  /** Closed at once (a connection that stopped answering). */
  terminate(): void;
}

export interface SocketFactory {
  open(url: string, protocols: readonly string[], events: SocketEvents): PushSocket;
}

/** How long a handshake may take: the authorizer and $connect both run within it. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

export const wsSockets: SocketFactory = {
  open(url, protocols, events) {
    const ws = new WebSocket(url, [...protocols], { handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
    let closed = false;
    const close = (reason: string) => {
      if (closed) return;
      closed = true;
      events.onClose(reason);
    };
    ws.on('open', () => events.onOpen());
    ws.on('message', (data, isBinary) => {
      if (!isBinary) events.onMessage(data.toString());
    });
    ws.on('unexpected-response', (_request, response) => {
      response.resume();
      events.onRefused(response.statusCode ?? 0);
      ws.terminate();
      close(`refused with HTTP ${response.statusCode ?? 0}`);
    });
    ws.on('error', (error) => close(error.message));
    ws.on('close', (code) => close(`closed (${code})`));
    return {
      send: (text) => ws.send(text),
      close: () => ws.close(1000),
      terminate: () => ws.terminate(),
    };
  },
};
