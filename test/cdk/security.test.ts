import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IConstruct } from 'constructs';
import { ENV } from '@contract/env';
import { LIMITS } from '@contract/limits';
import type { ServiceFunction } from '../../lib/constructs/service-function';
import { PUSH_HANDLERS } from '../../lib/source-layout';
import { type Synthesized, grantsOf, logicalId, removeAssembly, synthesizeTote } from './support/synth';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesizeTote();
});
afterAll(() => removeAssembly(synth));

const TABLE_READS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const TABLE_WRITES = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

/** Expected grants of one function: resource -> exact actions, or the kind of table access. */
type Expected = Record<string, readonly string[] | 'tableRead' | 'tableReadPutUpdate' | 'tableReadDelete' | 'tableReadWrite'>;

function expectedGrants(): Record<string, Expected> {
  const { stack } = synth;
  const table = `<${logicalId(stack.tables.fileMetadata.table)}.Arn>`;
  const shared = `<${logicalId(stack.tables.sharedFiles.table)}.Arn>`;
  const bucket = `<${logicalId(stack.chunkBucket.bucket)}.Arn>`;
  const pool = `<${logicalId(stack.auth.userPool)}.Arn>`;
  const secret = 'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:<SigningKeySecretName>-??????';
  const connections = (method: string) => `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalId(stack.push.api)}>/v1/${method}/@connections/*`;
  const streams = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
  const readTable = { [table]: 'tableRead', [`${table}/index/*`]: 'tableRead' } as const;
  const writeTable = { [table]: 'tableReadWrite', [`${table}/index/*`]: 'tableReadWrite' } as const;
  const readShares = { [shared]: 'tableRead', [`${shared}/index/*`]: 'tableRead' } as const;
  const writeShares = { [shared]: 'tableReadWrite', [`${shared}/index/*`]: 'tableReadWrite' } as const;
  // Every authorized route asks the pool whether the caller's account still exists and is enabled.
  const accountCheck = { [pool]: ['cognito-idp:AdminGetUser'] };
  return {
    health: {},
    'start-upload': {
      ...writeTable,
      ...readShares,
      [`${bucket}/chunks/*`]: ['s3:PutObject'],
      [`${bucket}/staging/*`]: ['s3:PutObject'],
      [`${bucket}/manifests/*`]: ['s3:PutObject'],
      ...accountCheck,
    },
    'upload-urls': {
      ...writeTable,
      ...readShares,
      [`${bucket}/chunks/*`]: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
      [`${bucket}/staging/*`]: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
      [bucket]: ['s3:ListBucket'],
      [`${bucket}/manifests/*`]: ['s3:GetObject'],
      ...accountCheck,
    },
    'commit-upload': {
      ...writeTable,
      ...readShares,
      [`${bucket}/manifests/*`]: ['s3:GetObject', 's3:PutObject'],
      // Whether storage holds a chunk the tracker has not registered yet (a HEAD): the commit is then pending.
      [`${bucket}/chunks/*`]: ['s3:GetObject'],
      [`${bucket}/staging/*`]: ['s3:GetObject'],
      [bucket]: ['s3:ListBucket'],
      ...accountCheck,
    },
    'start-upload-batch': { ...writeTable, [`${bucket}/chunks/*`]: ['s3:PutObject'], [`${bucket}/manifests/*`]: ['s3:PutObject'], ...accountCheck },
    'commit-upload-batch': { ...writeTable, ...readShares, [`${bucket}/manifests/*`]: ['s3:GetObject'], ...accountCheck },
    // Packs of small blobs: a presigned PUT for the caller's own pack keys, nothing read.
    'start-pack-uploads': { [`${bucket}/packs/*`]: ['s3:PutObject'], ...accountCheck },
    'list-folder': { ...readTable, ...accountCheck },
    'get-metadata': { ...readTable, ...readShares, ...accountCheck },
    'get-download': { ...readTable, ...readShares, [`${bucket}/manifests/*`]: ['s3:GetObject'], [secret]: ['secretsmanager:GetSecretValue'], ...accountCheck },
    'download-batch': { ...readTable, ...readShares, [`${bucket}/manifests/*`]: ['s3:GetObject'], [secret]: ['secretsmanager:GetSecretValue'], ...accountCheck },
    'delete-file': { ...writeTable, ...writeShares, ...accountCheck },
    'move-file': { ...writeTable, ...readShares, ...accountCheck },
    'share-file': { ...readTable, ...writeShares, [pool]: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'] },
    'list-collaborators': { ...readTable, ...readShares, ...accountCheck },
    'revoke-share': { ...readTable, ...writeShares, ...accountCheck },
    'list-shared': { ...readTable, ...readShares, ...accountCheck },
    'list-changes': { ...readTable, ...readShares, ...accountCheck },
    'list-versions': { ...readTable, ...readShares, ...accountCheck },
    'restore-version': { ...writeTable, ...readShares, [`${bucket}/manifests/*`]: ['s3:GetObject'], ...accountCheck },
    'list-trash': { ...readTable, ...accountCheck },
    'restore-trash': { ...writeTable, ...accountCheck },
    'purge-trash': { ...writeTable, ...accountCheck },
    // Reads the file it grants, writes grants and deletes invitations; nothing of the pool (the event carries the account).
    'post-confirmation': { ...readTable, ...writeShares },
    'collector-schedule': {
      ...writeTable,
      [`<${logicalId(stack.collector.namespaceFunction.fn)}.Arn>`]: ['lambda:InvokeFunction'],
      [`<${logicalId(stack.collector.namespaceFunction.fn)}.Arn>:*`]: ['lambda:InvokeFunction'],
    },
    'collector-namespace': {
      ...writeTable,
      [`${bucket}/manifests/*`]: ['s3:DeleteObjectVersion', 's3:GetObject'],
      [`${bucket}/chunks/*`]: ['s3:DeleteObjectVersion'],
      // Staged chunks nobody's tracker took (lambdas/domain/gc/collector.ts sweepStaging).
      [`${bucket}/staging/*`]: ['s3:DeleteObjectVersion'],
      [bucket]: ['s3:ListBucketVersions'],
    },
    'chunk-tracker': {
      // Registers chunks and proofs (PutItem) and touches a chunk already in place that a staged upload relies on (UpdateItem).
      [table]: 'tableReadPutUpdate',
      [`${table}/index/*`]: 'tableRead',
      // Copies a verified staged chunk into place (PutObject is the copy's write right); never writes staging.
      [`${bucket}/chunks/*`]: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
      [`${bucket}/staging/*`]: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion'],
      // Reads a pack whole, deletes a rejected one (domain/pack-tracker.ts).
      [`${bucket}/packs/*`]: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion'],
      [bucket]: ['s3:ListBucket'],
      [`<${logicalId(stack.tracker.failedEvents)}.Arn>`]: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    },
    // The HTTP routes' account check, at $connect and before each hint.
    'push-authorize': { ...accountCheck },
    'push-connect': { [table]: ['dynamodb:PutItem'] },
    'push-disconnect': { [table]: ['dynamodb:DeleteItem'] },
    'push-ping': {},
    'push-notifier': {
      [table]: 'tableReadDelete',
      [`${table}/index/*`]: 'tableRead',
      ...readShares,
      // Posts hints; closes the connections of deleted and disabled accounts.
      [connections('POST')]: ['execute-api:ManageConnections'],
      [connections('DELETE')]: ['execute-api:ManageConnections'],
      ...accountCheck,
      // The event source mappings: ListStreams has no resource-level permissions; the streams are named.
      '*': ['dynamodb:ListStreams'],
      [`<${logicalId(stack.tables.fileMetadata.table)}.StreamArn>`]: streams,
      [`<${logicalId(stack.tables.sharedFiles.table)}.StreamArn>`]: streams,
      [`<${logicalId(stack.push.failedBatches)}.Arn>`]: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    },
  };
}

function serviceFunction(name: string) {
  const { stack } = synth;
  const others: Record<string, ServiceFunction> = {
    'chunk-tracker': stack.tracker.function,
    'post-confirmation': stack.postConfirmation,
    'collector-schedule': stack.collector.scheduleFunction,
    'collector-namespace': stack.collector.namespaceFunction,
  };
  if (name.startsWith('push-')) return stack.push.functions.get(name.slice('push-'.length) as never)!;
  return others[name] ?? stack.apiFunctions.get(name as never)!;
}

const roleOf = (construct: IConstruct) => logicalId(construct.node.findChild('Role'));
const logsOf = (construct: IConstruct) => `<${logicalId(construct.node.findChild('Logs'))}.Arn>`;

const FUNCTIONS = [
  'health',
  'start-upload',
  'upload-urls',
  'commit-upload',
  'start-upload-batch',
  'commit-upload-batch',
  'list-folder',
  'get-metadata',
  'get-download',
  'download-batch',
  'delete-file',
  'move-file',
  'share-file',
  'list-collaborators',
  'revoke-share',
  'list-shared',
  'list-changes',
  'list-versions',
  'restore-version',
  'list-trash',
  'restore-trash',
  'purge-trash',
  'chunk-tracker',
  'post-confirmation',
  'collector-schedule',
  'collector-namespace',
  ...PUSH_HANDLERS.map((handler) => `push-${handler}`),
];

describe.each(FUNCTIONS.map((name) => [name]))('IAM of %s', (name) => {
  it('grants exactly what the handler needs, on exactly its resources', () => {
    // Prepare
    const fn = serviceFunction(name);
    const expected: Expected = { [logsOf(fn)]: ['logs:CreateLogStream', 'logs:PutLogEvents'], ...expectedGrants()[name] };
    // Act
    const grants = grantsOf(synth.template, roleOf(fn));
    // Assess
    expect(Object.keys(grants).sort()).toEqual(Object.keys(expected).sort());
    for (const [resource, want] of Object.entries(expected)) {
      if (want === 'tableRead') {
        expect(grants[resource]).toEqual(expect.arrayContaining(TABLE_READS));
        expect(grants[resource].filter((action) => TABLE_WRITES.includes(action))).toEqual([]);
      } else if (want === 'tableReadPutUpdate') {
        expect(grants[resource]).toEqual(expect.arrayContaining(TABLE_READS));
        expect(grants[resource].filter((action) => TABLE_WRITES.includes(action))).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
      } else if (want === 'tableReadDelete') {
        expect(grants[resource]).toEqual(expect.arrayContaining(TABLE_READS));
        expect(grants[resource].filter((action) => TABLE_WRITES.includes(action))).toEqual(['dynamodb:DeleteItem']);
      } else if (want === 'tableReadWrite') {
        expect(grants[resource]).toEqual(expect.arrayContaining([...TABLE_READS, ...TABLE_WRITES]));
      } else {
        expect(grants[resource]).toEqual(want);
      }
    }
  });

  it('uses its own role, with no managed policies', () => {
    // Prepare
    const roleId = roleOf(serviceFunction(name));
    // Act
    const role = synth.template.toJSON().Resources[roleId];
    // Assess
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
  });
});

/** Every variable of each function: the defaults plus exactly what its binds set. */
function expectedVariables(): Record<string, Record<string, unknown>> {
  const { stack } = synth;
  const table = { [ENV.fileTable]: { Ref: logicalId(stack.tables.fileMetadata.table) } };
  const tables = { ...table, [ENV.sharedTable]: { Ref: logicalId(stack.tables.sharedFiles.table) } };
  const bucket = { [ENV.bucket]: { Ref: logicalId(stack.chunkBucket.bucket) } };
  const retention = { [ENV.retentionDays]: String(LIMITS.retentionDays) };
  // Functions that verify chunks may trust the SHA-256 S3 checked at upload.
  const verifies = { [ENV.storeVerifiesChecksums]: 'true' };
  // The pool's id, bound with every right on the pool (the account check, the directory).
  const pool = { [ENV.userPoolId]: { Ref: logicalId(stack.auth.userPool) } };
  // The pool and both app clients (CLI and web): who signs in where, and whose tokens are accepted.
  const poolClients = {
    ...pool,
    [ENV.userPoolClientId]: { Ref: logicalId(stack.auth.cliClient) },
    [ENV.userPoolWebClientId]: { Ref: logicalId(stack.auth.webClient) },
  };
  const signedDownloads = {
    ...tables,
    ...bucket,
    [ENV.downloadBaseUrl]: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.downloads.distribution), 'DomainName'] }]] },
    [ENV.signingKeyPairId]: { Ref: logicalId(stack.downloads.publicKey) },
    [ENV.signingKeySecretId]: { Ref: 'SigningKeySecretName' },
    ...pool,
  };
  const stageUrl = (scheme: string) => ({
    'Fn::Join': ['', [`${scheme}://`, { Ref: logicalId(stack.push.api) }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/v1']],
  });
  return {
    health: { ...poolClients, [ENV.pushUrl]: stageUrl('wss') },
    'start-upload': { ...tables, ...bucket, ...pool },
    'upload-urls': { ...tables, ...bucket, ...verifies, ...pool },
    'commit-upload': { ...tables, ...bucket, ...pool },
    'start-upload-batch': { ...table, ...bucket, ...pool },
    'commit-upload-batch': { ...tables, ...bucket, ...pool },
    'list-folder': { ...table, ...pool },
    'get-metadata': { ...tables, ...pool },
    'get-download': signedDownloads,
    'download-batch': signedDownloads,
    'delete-file': { ...tables, ...retention, ...pool },
    'move-file': { ...tables, ...pool },
    'share-file': { ...tables, ...pool },
    'list-collaborators': { ...tables, ...pool },
    'revoke-share': { ...tables, ...pool },
    'list-shared': { ...tables, ...pool },
    'list-changes': { ...tables, ...pool },
    'list-versions': { ...tables, ...retention, ...pool },
    'restore-version': { ...tables, ...bucket, ...pool },
    'list-trash': { ...table, ...retention, ...pool },
    'restore-trash': { ...table, ...pool },
    'purge-trash': { ...table, ...pool },
    'chunk-tracker': { ...table, ...bucket, ...verifies },
    'post-confirmation': tables,
    'collector-schedule': { ...table, [ENV.collectorNamespaceFunction]: { Ref: logicalId(stack.collector.namespaceFunction.fn) } },
    'collector-namespace': { ...table, ...bucket, ...retention },
    'push-authorize': poolClients,
    'push-connect': table,
    'push-disconnect': table,
    'push-ping': {},
    // The account check needs the pool id (authorize has it already among poolClients).
    'push-notifier': { ...tables, [ENV.pushCallbackUrl]: stageUrl('https'), ...pool },
  };
}

describe.each(FUNCTIONS.map((name) => [name]))('environment of %s', (name) => {
  it('holds the defaults plus exactly what the same binds that grant access set', () => {
    // Prepare
    const expected = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'tote',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...expectedVariables()[name],
    };
    // Act
    const variables = synth.template.toJSON().Resources[logicalId(serviceFunction(name).fn)].Properties.Environment.Variables;
    // Assess
    expect(variables).toEqual(expected);
  });
});

describe('users', () => {
  it('access tokens (and ID tokens) of every app client (CLI and web) live LIMITS.accessTokenMinutes', () => {
    // Act
    const clients = Object.values(synth.template.findResources('AWS::Cognito::UserPoolClient'));
    // Assess
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      expect(client.Properties).toMatchObject({
        AccessTokenValidity: LIMITS.accessTokenMinutes,
        IdTokenValidity: LIMITS.accessTokenMinutes,
        TokenValidityUnits: expect.objectContaining({ AccessToken: 'minutes', IdToken: 'minutes' }),
      });
    }
    expect(LIMITS.accessTokenMinutes).toBe(5);
  });

  it('runs the post-confirmation function after each confirmed sign-up, and lets Cognito invoke it', () => {
    // Prepare
    const fnArn = { 'Fn::GetAtt': [logicalId(synth.stack.postConfirmation.fn), 'Arn'] };
    // Act / Assess
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', { LambdaConfig: { PostConfirmation: fnArn } });
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: fnArn,
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(synth.stack.auth.userPool), 'Arn'] },
    });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  interface PluginReport {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; severity: string }[];
    suppressedViolations?: { ruleName: string; reason: string }[];
  }
  const reports = (): PluginReport[] =>
    JSON.parse(fs.readFileSync(path.join(synth.outdir, 'validation-report.json'), 'utf8')).pluginReports;

  it('ran and leaves no unacknowledged error or warning', () => {
    // Act
    const nag = reports().find((report) => report.pluginName === 'AwsSolutions');
    // Assess
    expect(nag).toBeDefined();
    expect(nag!.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
    expect(nag!.conclusion).toBe('success');
  });

  it('gives a written reason for every acknowledgement', () => {
    // Act
    const acknowledged = reports().flatMap((report) => report.suppressedViolations ?? []);
    // Assess
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const finding of acknowledged) expect(finding.reason.length).toBeGreaterThan(40);
  });

  it('leaves no other validation warning behind', () => {
    // Act
    const violations = reports().flatMap((report) => report.violations.map((v) => `${report.pluginName}: ${v.ruleName}`));
    // Assess
    expect(violations).toEqual([]);
  });
});
