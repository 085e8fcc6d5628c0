/**
 * The user pool's post-confirmation trigger: a newly confirmed account receives every file that was
 * shared with its address before it existed (domain/invitations.ts).
 *
 * Cognito waits for this answer (the event, unchanged) before it answers the confirmation. A failure
 * to claim is logged, not thrown: the account is confirmed either way, and failing the confirmation's
 * answer would only tell the new user something went wrong with a sign-up that worked. What was not
 * claimed stays an invitation, which the owner's next share with that address turns into the grant.
 */
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { readConfig } from '@shared/config';
import { logger } from '@shared/logger';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { claimInvitations } from '@domain/invitations';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
  const { sub, email } = event.request.userAttributes;
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp' || !sub || !email) return event;
  try {
    const claimed = await claimInvitations(deps, { userId: sub, email });
    logger.info('invitations claimed', { userId: sub, claimed });
  } catch (error) {
    logger.error('invitations not claimed', { userId: sub, error: error as Error });
  }
  return event;
};
