/**
 * The push notifier: DynamoDB stream batches (journal inserts from FileMetadata, grant changes from
 * SharedFiles, filtered by the event source mappings) -> a hint to every connection of every user
 * whose feed moved (domain/push-fanout.ts). A failure to read who to wake fails the batch, and Lambda
 * delivers it again.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { accountCheck } from '@shared/account-gate';
import { createDocumentClient, createManagementClient } from '@shared/aws';
import { readConfig } from '@shared/config';
import { logger } from '@shared/logger';
import { ConnectionRepository } from '@repo/connections';
import { PushSender } from '@repo/push-sender';
import { ShareRepository } from '@repo/shares';
import { feedMoves } from '@repo/stream-records';
import { wakeFeeds, type FanoutDeps } from '@domain/push-fanout';

const config = readConfig('fileTable', 'sharedTable', 'pushCallbackUrl');
const db = createDocumentClient();
const deps: FanoutDeps = {
  shares: new ShareRepository(db, config.sharedTable),
  connections: new ConnectionRepository(db, config.fileTable),
  accounts: accountCheck(),
  sender: new PushSender(createManagementClient(config.pushCallbackUrl)),
  onSendFailure: (connection, error) => logger.warn('hint not delivered', { connectionId: connection.connectionId, error: error as Error }),
};

export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  const moves = feedMoves(event.Records ?? []);
  if (moves.length === 0) return;
  const result = await wakeFeeds(deps, moves);
  logger.info('feeds woken', { records: event.Records.length, ...result });
};
