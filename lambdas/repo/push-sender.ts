/**
 * Posts messages to WebSocket connections, and closes them, through API Gateway's management API
 * (`@connections`). A connection the gateway no longer has answers GoneException: that is an
 * outcome, not a failure.
 */
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { PushMessage } from '@contract/push';

export type Delivery = 'sent' | 'gone';

export class PushSender {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  send(connectionId: string, message: PushMessage): Promise<Delivery> {
    return this.outcome(this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) })));
  }

  /** Closes the connection (the client hears a close frame); 'sent' when it was open. */
  close(connectionId: string): Promise<Delivery> {
    return this.outcome(this.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId })));
  }

  private async outcome(request: Promise<unknown>): Promise<Delivery> {
    try {
      await request;
      return 'sent';
    } catch (error) {
      if ((error as Error).name === 'GoneException') return 'gone';
      throw error;
    }
  }
}
