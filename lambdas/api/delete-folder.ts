/** POST /folders/delete: puts a folder's files in the trash as one group and removes the folder; 202 `done: false` asks for the same request again. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { deleteFolder } from '@domain/folder-changes';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = authedHandler('deleteFolder', async ({ caller, body }) => {
  const answer = await deleteFolder(deps, caller, body);
  return json(answer, answer.done ? 200 : 202);
});
