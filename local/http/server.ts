import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_HOST, PORT_ENV, type ServiceName } from '../config';

/** Listens on LOCAL_HOST; port 0 picks a free one. Resolves the bound port. */
export function listen(server: http.Server, port: number, service: ServiceName): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${port} (${service}) is in use: is another \`npm start\` running? Set ${PORT_ENV[service]} to move it`)
          : err,
      );
    });
    server.listen(port, LOCAL_HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Stops accepting, drops idle keep-alive sockets, and resolves once in-flight requests are gone. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Requests still streaming after a moment (a stalled client) must not hold the shutdown.
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}
