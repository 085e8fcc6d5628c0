/** put and get. */
import type { GetOptions, RemoteRef, ToteClient } from '../../client';
import { hasCode } from '../../core/errors';
import { formatBytes } from '../output/format';
import type { CommandOutput } from './output';

export async function put(client: ToteClient, local: string, remote: string | undefined): Promise<CommandOutput> {
  const summary = await client.put(local, remote);
  const files = summary.files.map((f) => ({
    localPath: f.localPath,
    remotePath: f.remotePath,
    fileId: f.file.fileId,
    revision: f.file.revision,
    size: f.file.size,
    bytesSent: f.bytesSent,
    chunksSent: f.chunksSent,
    chunksSkipped: f.chunksSkipped,
  }));
  const lines = files.map(
    (f) =>
      `Put ${f.remotePath} (${formatBytes(f.size)}, revision ${f.revision}): sent ${formatBytes(f.bytesSent)} in ${f.chunksSent} chunk(s), ${f.chunksSkipped} already stored.`,
  );
  if (summary.failed.length > 0) lines.push(`${summary.failed.length} file(s) failed; see the warnings above.`);
  if (files.length === 0 && summary.failed.length === 0) lines.push(`Nothing to upload: ${local} is a folder with no files in it.`);
  return {
    data: { files, failed: summary.failed, bytesSent: summary.bytesSent, chunksSent: summary.chunksSent, chunksSkipped: summary.chunksSkipped },
    lines,
    exitCode: summary.failed.length > 0 ? 1 : 0,
  };
}

export async function get(client: ToteClient, remote: RemoteRef, local: string | undefined, options: GetOptions): Promise<CommandOutput> {
  let r;
  try {
    r = await client.get(remote, local, options);
  } catch (error) {
    if (hasCode(error, 'IS_A_FOLDER')) return getFolder(client, remote, local, options);
    throw error;
  }
  const data = {
    remotePath: r.remotePath,
    localPath: r.localPath,
    fileId: r.file.fileId,
    revision: r.file.revision,
    size: r.file.size,
    bytesReceived: r.bytesReceived,
    chunksFetched: r.chunksFetched,
    chunksReused: r.chunksReused,
  };
  const line = `Got ${r.remotePath} -> ${r.localPath} (${formatBytes(r.file.size)}): fetched ${formatBytes(r.bytesReceived)} in ${r.chunksFetched} chunk(s), ${r.chunksReused} reused.`;
  return { data, lines: [line] };
}

async function getFolder(client: ToteClient, remote: string, local: string | undefined, options: GetOptions): Promise<CommandOutput> {
  const r = await client.getFolder(remote, local, options);
  const files = r.outcomes.results.map((f) => ({
    remotePath: f.remotePath,
    localPath: f.localPath,
    fileId: f.file.fileId,
    revision: f.file.revision,
    size: f.file.size,
    bytesReceived: f.bytesReceived,
    chunksFetched: f.chunksFetched,
    chunksReused: f.chunksReused,
  }));
  const sum = (pick: (f: (typeof files)[number]) => number) => files.reduce((n, f) => n + pick(f), 0);
  const data = {
    remotePath: r.remotePath,
    localPath: r.localPath,
    files,
    unchanged: r.unchanged,
    failed: r.outcomes.failed,
    folders: r.folders,
    size: sum((f) => f.size),
    bytesReceived: sum((f) => f.bytesReceived),
    chunksFetched: sum((f) => f.chunksFetched),
    chunksReused: sum((f) => f.chunksReused),
  };
  const lines = [
    `Got ${r.remotePath} -> ${r.localPath}: ${files.length} file(s), ${formatBytes(data.size)} in ${r.folders} folder(s); fetched ${formatBytes(data.bytesReceived)} in ${data.chunksFetched} chunk(s), ${data.chunksReused} reused.`,
  ];
  if (r.unchanged.length > 0) lines.push(`${r.unchanged.length} file(s) were already here with the same content.`);
  if (r.outcomes.failed.length > 0) lines.push(`${r.outcomes.failed.length} file(s) failed; see the warnings above.`);
  return { data, lines, exitCode: r.outcomes.failed.length > 0 ? 1 : 0 };
}
