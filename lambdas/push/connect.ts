/**
 * $connect, after the authorizer allowed it: records the connection under its user, so the notifier
 * finds it, and selects the push subprotocol (a client offering subprotocols closes a connection whose
 * answer selects none).
 */
import { PUSH } from '@contract/push';
import { readConfig } from '@shared/config';
import { socketCaller, type SocketEvent } from '@shared/socket';
import { ConnectionRepository } from '@repo/connections';
import { createDocumentClient } from '@shared/aws';

const config = readConfig('fileTable');
const connections = new ConnectionRepository(createDocumentClient(), config.fileTable);

export const handler = async (event: SocketEvent) => {
  const { userId, connectionId } = socketCaller(event);
  await connections.add(userId, connectionId, new Date());
  return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': PUSH.protocol } };
};
