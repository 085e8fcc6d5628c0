/** put and get. */
import type { GetOptions, RemoteRef, ToteClient } from '../../client';
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
  const r = await client.get(remote, local, options);
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
