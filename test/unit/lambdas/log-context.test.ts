import './env';
import './env-lambda-logs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as startUpload } from '../../../lambdas/api/start-upload';
import { handler as tracker } from '../../../lambdas/chunk-tracker/handler';
import { OWNER, apiEvent, call, lambdaContext, sha256 } from './support';

const s3 = mockClient(S3Client);

/** What the functions print while `act` runs, as parsed JSON log entries. */
async function logsOf(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => lines.push(String(chunk)) > 0;
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.flatMap((line) => line.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

test("every log line carries the invocation's request id and whether it was a cold start", async () => {
  // Prepare: storage fails the tracker's read
  s3.on(GetObjectCommand).rejects(new Error('storage unavailable'));

  // Act: a refused request twice, then a chunk the tracker cannot read
  const entries = await logsOf(async () => {
    await call(startUpload, apiEvent({ body: { path: '/a.txt', size: 0, contentHash: 'not-a-hash', chunks: [] } }));
    await call(startUpload, apiEvent({ body: { path: '/a.txt', size: 0, contentHash: 'not-a-hash', chunks: [] } }));
    const record = { s3: { bucket: { name: 'chunk-bucket' }, object: { key: `chunks/${OWNER}/${sha256('x')}`, size: 1 } } };
    await tracker({ Records: [record] } as unknown as S3Event, lambdaContext('chunk-tracker')).catch(() => undefined);
  });

  // Assess
  const refused = entries.filter((e) => e.message === 'request refused');
  expect(refused.map((e) => [e.function_name, e.cold_start])).toEqual([
    ['tote-test', true],
    ['tote-test', false],
  ]);
  expect(new Set(refused.map((e) => e.function_request_id)).size).toBe(2);
  const tracked = entries.filter((e) => e.message === 'chunk tracking failed');
  expect(tracked.map((e) => [e.function_name, typeof e.function_request_id])).toEqual([['chunk-tracker', 'string']]);
});
