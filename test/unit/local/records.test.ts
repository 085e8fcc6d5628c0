import { encodeEventKey, s3EventRecord } from '../../../local/notifications/records';
import { matches } from '../../../local/notifications/dispatcher';
import { createSequencer } from '../../../local/notifications/sequencer';
import type { ObjectCreated } from '../../../local/notifications/source';
import type { NotificationModel } from '../../../local/template/notifications-model';

const notice: ObjectCreated = {
  eventName: 'ObjectCreated:Put',
  eventTime: '2026-01-01T00:00:00.000Z',
  bucket: 'tote-chunks',
  key: 'chunks/owner/abc',
  size: 42,
  eTag: '"0123abcd"',
  sequencer: '0000018B2F5E3C0000',
  sourceIp: '127.0.0.1',
};

test.each([
  ['chunks/owner/abc', 'chunks/owner/abc'],
  ['my folder/my file.txt', 'my+folder/my+file.txt'],
  ['a+b=c&d', 'a%2Bb%3Dc%26d'],
  ["it's (1)!~", 'it%27s+%281%29%21%7E'],
  ['ümlaut', '%C3%BCmlaut'],
  ['star*dash-under_dot.', 'star*dash-under_dot.'],
])('S3 encodes the event key %j as %j', (key, encoded) => {
  expect(encodeEventKey(key)).toBe(encoded);
});

test('the record has the shape S3 delivers to Lambda (eventVersion 2.1)', () => {
  // Act
  const record = s3EventRecord(notice, 'config-1');

  // Assess
  expect(record).toMatchObject({
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    eventName: 'ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'config-1',
      bucket: { name: 'tote-chunks', arn: 'arn:aws:s3:::tote-chunks' },
      object: { key: 'chunks/owner/abc', size: 42, eTag: '0123abcd', sequencer: '0000018B2F5E3C0000' },
    },
  });
  expect(record.s3.object).not.toHaveProperty('versionId');
  expect(s3EventRecord({ ...notice, versionId: 'v1' }, 'c').s3.object.versionId).toBe('v1');
});

const subscription = (overrides: Partial<NotificationModel>): NotificationModel =>
  ({ bucket: 'tote-chunks', events: ['s3:ObjectCreated:*'], prefix: 'chunks/', suffix: '', ...overrides }) as NotificationModel;

test.each([
  ['the prefix and any created event', subscription({}), notice, true],
  ['an exact event type', subscription({ events: ['s3:ObjectCreated:Put'] }), notice, true],
  ['another event type', subscription({ events: ['s3:ObjectCreated:Copy'] }), notice, false],
  ['another prefix', subscription({ prefix: 'manifests/' }), notice, false],
  ['a suffix that matches', subscription({ suffix: 'abc' }), notice, true],
  ['a suffix that does not', subscription({ suffix: '.json' }), notice, false],
  ['another bucket', subscription({ bucket: 'logs' }), notice, false],
])('a subscription with %s matches: %s', (_, sub, n, expected) => {
  expect(matches(sub, n)).toBe(expected);
});

test('sequencers increase even within one millisecond', () => {
  // Prepare
  const next = createSequencer(() => 1_000);

  // Act
  const [a, b, c] = [next(), next(), next()];

  // Assess
  expect(a < b && b < c).toBe(true);
  expect(a).toHaveLength(18);
});
