/**
 * The `ping` route: a client's keep-alive (API Gateway ignores WebSocket ping frames, so only data
 * keeps a connection inside its idle timeout). The answer, `pong`, tells the client the path is alive.
 */
import { PONG } from '@contract/push';

export const handler = async () => ({ statusCode: 200, body: JSON.stringify(PONG) });
