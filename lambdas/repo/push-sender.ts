/**
 * Posts messages to WebSocket connections through API Gateway's management API (`@connections`).
 * A connection the gateway no longer has answers GoneException: that is an outcome, not a failure.
 */
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { PushMessage } from '@contract/push';

export type Delivery = 'sent' | 'gone';

export class PushSender {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  async send(connectionId: string, message: PushMessage): Promise<Delivery> {
    try {
      await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }));
      return 'sent';
    } catch (error) {
      if ((error as Error).name === 'GoneException') return 'gone';
      throw error;
    }
  }
}
