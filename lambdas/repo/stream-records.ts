/**
 * DynamoDB stream records, as Lambda hands them to the notifier, read back into what they say about
 * feeds: a journal entry appended (an owner's feed moved, and the feeds of everyone its file is
 * shared with) or a grant written or removed (the recipient's feed moved: the shared set changed).
 * Only this module knows which keys and attributes mean that.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { KEY_PREFIX, keyOwner } from './keys';

export type FeedMove =
  /** `fileId` is absent for a change of a whole folder (it names no one file). */
  | { readonly kind: 'journal'; readonly ownerId: string; readonly fileId?: string }
  | { readonly kind: 'grant'; readonly recipientId: string };

/** The feed moves among `records`; anything else (other items, malformed records) is left out. */
export function feedMoves(records: readonly DynamoDBRecord[]): FeedMove[] {
  return records.flatMap((record): FeedMove[] => {
    const pk = record.dynamodb?.Keys?.pk?.S;
    if (pk === undefined) return [];
    const ownerId = keyOwner(pk, KEY_PREFIX.journal);
    if (ownerId !== undefined) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || image === undefined) return [];
      const fileId = image.fileId?.S;
      if (fileId !== undefined) return [{ kind: 'journal', ownerId, fileId }];
      return image.type?.S === 'moveFolder' || image.type?.S === 'deleteFolder' ? [{ kind: 'journal', ownerId }] : [];
    }
    const recipientId = keyOwner(pk, KEY_PREFIX.share);
    return recipientId === undefined ? [] : [{ kind: 'grant', recipientId }];
  });
}
