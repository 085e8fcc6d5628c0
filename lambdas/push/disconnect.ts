/** $disconnect: forgets the connection (API Gateway calls it on a best-effort basis; the record's TTL covers a miss). */
import { readConfig } from '@shared/config';
import { socketCaller, type SocketEvent } from '@shared/socket';
import { ConnectionRepository } from '@repo/connections';
import { createDocumentClient } from '@shared/aws';

const config = readConfig('fileTable');
const connections = new ConnectionRepository(createDocumentClient(), config.fileTable);

export const handler = async (event: SocketEvent) => {
  const { userId, connectionId } = socketCaller(event);
  await connections.remove(userId, connectionId);
  return { statusCode: 200 };
};
