/** POST /folders/move: moves or renames a folder with everything in it; 202 `done: false` asks for the same request again. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories } from '@repo/wiring';
import { moveFolder } from '@domain/folder-changes';

const config = readConfig('fileTable');
const deps = metadataRepositories(config.fileTable);

export const handler = authedHandler('moveFolder', async ({ caller, body }) => {
  const answer = await moveFolder(deps, caller, body);
  return json(answer, answer.done ? 200 : 202);
});
