import * as net from 'node:net';
import { LOCAL_HOST } from '../config';

/**
 * A port that is free right now, for child processes that cannot report the port they bound
 * (DynamoDB Local, cognito-local). In-process servers listen on port 0 instead, which has no race.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOCAL_HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `wanted` unless it is 0 ("any"), in which case a free one is picked. */
export const concretePort = async (wanted: number): Promise<number> => (wanted === 0 ? freePort() : wanted);
