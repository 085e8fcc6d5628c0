/**
 * Where an upload's or a download's time went, from the client's events and when they came. An
 * upload reads, hashes and sends at once, so its phases overlap: `hashed` is when the whole file had
 * been read and hashed, `sent` when the last chunk was settled in storage, and the commit wait is
 * what came after both (the commit, waiting for the tracker). A download verifies each chunk as it
 * streams in: `firstChunk` is when the first was in place, `lastChunk` the last, and `verify` what came
 * after (the content hash of the digests, the flush, the rename).
 */
import type { ToteEvent } from '../client/src';
import type { Device } from './service';

export interface UploadSplit {
  readonly hashedSeconds: number;
  readonly sentSeconds: number;
  readonly commitWaitSeconds: number;
}

export interface DownloadSplit {
  readonly firstChunkSeconds: number;
  readonly lastChunkSeconds: number;
  readonly verifySeconds: number;
}

/** Times (seconds after `started`, a performance.now() reading) of the events from index `from` on. */
function timesOf(device: Device, from: number, started: number, type: ToteEvent['type']): number[] {
  const out: number[] = [];
  for (let i = from; i < device.events.length; i++) if (device.events[i].type === type) out.push((device.times[i] - started) / 1000);
  return out;
}

export function uploadSplit(device: Device, from: number, started: number): UploadSplit {
  const hashed = timesOf(device, from, started, 'hash.done').at(-1) ?? 0;
  const sent = timesOf(device, from, started, 'upload.chunk').at(-1) ?? hashed;
  const done = timesOf(device, from, started, 'upload.done').at(-1) ?? sent;
  return { hashedSeconds: hashed, sentSeconds: sent, commitWaitSeconds: done - Math.max(hashed, sent) };
}

export function downloadSplit(device: Device, from: number, started: number): DownloadSplit {
  const chunks = timesOf(device, from, started, 'download.chunk');
  const done = timesOf(device, from, started, 'download.done').at(-1) ?? 0;
  const last = chunks.at(-1) ?? done;
  return { firstChunkSeconds: chunks[0] ?? done, lastChunkSeconds: last, verifySeconds: done - last };
}
