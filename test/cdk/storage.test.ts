import * as vm from 'node:vm';
import { Match } from 'aws-cdk-lib/assertions';
import { PACK_RANGE_GUARD } from '../../lib/constructs/downloads';
import { GC_INDEX, GSI1, SHARED_BY_FILE_INDEX, TTL_ATTRIBUTE } from '@repo/keys';
import { DATA_MIGRATION_IDS } from '@domain/migrations/catalog';
import { type Synthesized, grantsOf, logicalId, removeAssembly, synthesizeTote, webAppOrigin } from './support/synth';

let synth: Synthesized;
beforeAll(() => {
  // The bundles' own checks are in api.test.ts, which pays for bundling them.
  synth = synthesizeTote();
});
afterAll(() => removeAssembly(synth));

describe('chunk bucket', () => {
  it('is private, encrypted, versioned, logged and retained', () => {
    // Prepare
    const { stack, template } = synth;
    // Act / Assess
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.logBucket.bucket) }, LogFilePrefix: 'chunk-bucket/' },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Metadata: { 'aws:cdk:path': 'Tote/Chunks/Bucket/Resource' },
    });
  });

  it('refuses every request that is not TLS', () => {
    // Prepare
    const bucketId = logicalId(synth.stack.chunkBucket.bucket);
    // Act / Assess
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('allows browser PUT/GET/HEAD from the web app\'s origin only and exposes ETag', () => {
    // Act / Assess
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedOrigins: [webAppOrigin(synth)],
            ExposedHeaders: ['ETag'],
          }),
        ],
      },
    });
  });

  it('cleans up abandoned multipart uploads, old versions and expired delete markers', () => {
    // Act / Assess
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
          Match.objectLike({ ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('removes staged chunks nobody took a day after the longest upload session ends', () => {
    // Act / Assess
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'staging/', ExpirationInDays: 8, Status: 'Enabled' })]),
      },
    });
  });

  it('invokes the chunk tracker for objects created under chunks/, staging/ and packs/ only', () => {
    // Prepare
    const { stack, template } = synth;
    const trackerId = logicalId(stack.tracker.function.fn);
    // Act / Assess
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId(stack.chunkBucket.bucket) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'chunks/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [trackerId, 'Arn'] },
          },
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'staging/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [trackerId, 'Arn'] },
          },
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'packs/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [trackerId, 'Arn'] },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [trackerId, 'Arn'] },
      Principal: 's3.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(stack.chunkBucket.bucket), 'Arn'] },
    });
  });

  it('sends tracker events that keep failing to an encrypted queue', () => {
    // Prepare
    const { stack, template } = synth;
    // Act / Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(stack.tracker.function.fn) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.tracker.failedEvents), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });
});

describe('tables', () => {
  const durable = {
    Properties: Match.objectLike({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  };
  const index = (name: string, keys = ['gsi1pk', 'gsi1sk'], projection = 'ALL') => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: keys[0], KeyType: 'HASH' },
      { AttributeName: keys[1], KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: projection },
  });

  it.each([
    ['FileMetadata', [index(GSI1), index(GC_INDEX, ['gcpk', 'gcsk'], 'KEYS_ONLY')], { AttributeName: TTL_ATTRIBUTE, Enabled: true }, 'NEW_IMAGE'],
    ['SharedFiles', [index(SHARED_BY_FILE_INDEX)], undefined, 'KEYS_ONLY'],
  ] as const)('%s: durable, its indexes, TTL %j, stream %s, generated name', (name, indexes, ttl, streamView) => {
    // Prepare
    const tables = { FileMetadata: synth.stack.tables.fileMetadata, SharedFiles: synth.stack.tables.sharedFiles };
    // Act
    const table = synth.template.toJSON().Resources[logicalId(tables[name].table)];
    // Assess
    synth.template.hasResource('AWS::DynamoDB::Table', {
      ...durable,
      Metadata: { 'aws:cdk:path': `Tote/Tables/${name}/Table/Resource` },
    });
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(indexes);
    expect(table.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))),
    );
    expect(table.Properties.TimeToLiveSpecification).toEqual(ttl);
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: streamView });
    expect(table.Properties.TableName).toBeUndefined();
  });
});

describe('download distribution', () => {
  it('reads the bucket through origin access control, GET/HEAD over HTTPS, signed URLs of the key group only', () => {
    // Prepare
    const { stack, template } = synth;
    // The web app's distribution has an origin access control of its own (test/cdk/web-app.test.ts).
    const oac = Object.fromEntries(
      Object.entries(template.findResources('AWS::CloudFront::OriginAccessControl')).filter(([, r]) =>
        String(r.Metadata?.['aws:cdk:path']).startsWith('Tote/Downloads/'),
      ),
    );
    // Act / Assess
    expect(Object.values(oac)).toEqual([
      expect.objectContaining({
        Properties: {
          OriginAccessControlConfig: expect.objectContaining({
            OriginAccessControlOriginType: 's3',
            SigningBehavior: 'always',
            SigningProtocol: 'sigv4',
          }),
        },
      }),
    ]);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          AllowedMethods: ['GET', 'HEAD'],
          ViewerProtocolPolicy: 'https-only',
          // Managed CachingOptimized: chunks are content-addressed, hence immutable.
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
          TrustedKeyGroups: [{ Ref: logicalId(stack.node.findChild('Downloads').node.findChild('SigningKeyGroup')) }],
        }),
        Origins: [
          Match.objectLike({
            DomainName: { 'Fn::GetAtt': [logicalId(stack.chunkBucket.bucket), 'RegionalDomainName'] },
            OriginAccessControlId: { 'Fn::GetAtt': [Object.keys(oac)[0], 'Id'] },
          }),
        ],
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('answers browsers from the web app\'s origin only, with HSTS and nosniff', () => {
    // Act / Assess
    synth.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CorsConfig: Match.objectLike({
          AccessControlAllowOrigins: { Items: [webAppOrigin(synth)] },
          AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
          AccessControlExposeHeaders: { Items: ['ETag'] },
        }),
        SecurityHeadersConfig: Match.objectLike({
          ContentTypeOptions: { Override: true },
          StrictTransportSecurity: Match.objectLike({ Override: true }),
        }),
      }),
    });
  });

  it('trusts the public key passed as the SigningPublicKeyPem parameter', () => {
    // Prepare
    const { stack, template } = synth;
    // Act / Assess
    template.hasResourceProperties('AWS::CloudFront::PublicKey', {
      PublicKeyConfig: Match.objectLike({ EncodedKey: { Ref: 'SigningPublicKeyPem' } }),
    });
    template.hasResourceProperties('AWS::CloudFront::KeyGroup', {
      KeyGroupConfig: Match.objectLike({ Items: [{ Ref: logicalId(stack.downloads.publicKey) }] }),
    });
    expect(template.toJSON().Parameters.SigningPublicKeyPem.Default).toBeUndefined();
    expect(template.toJSON().Parameters.SigningKeySecretName.Default).toBe('tote/cloudfront-signing-key');
  });

  it('lets the distribution read chunk and pack objects only, nothing else in the bucket', () => {
    // Prepare
    const { stack, template } = synth;
    const bucketId = logicalId(stack.chunkBucket.bucket);
    // Act
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }))[0];
    const cloudFrontStatements = policy.Properties.PolicyDocument.Statement.filter(
      (s: { Principal?: { Service?: string } }) => s.Principal?.Service === 'cloudfront.amazonaws.com',
    );
    // Assess
    expect(cloudFrontStatements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/chunks/*']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/packs/*']] },
        ],
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: logicalId(stack.downloads.distribution) }],
              ],
            },
          },
        },
      }),
    ]);
  });
});

describe('the pack range guard', () => {
  const guard = new vm.Script(`${PACK_RANGE_GUARD}\n;handler`).runInNewContext({}) as (event: unknown) => { statusCode?: number; uri?: string };
  const request = (uri: string, range?: string, header?: string) => ({
    request: { uri, querystring: range ? { range: { value: range } } : {}, headers: header ? { range: { value: header } } : {} },
  });
  const cases: [string, string, string | undefined, string | undefined, 'served' | 403][] = [
    ['a chunk', '/chunks/o/h', undefined, undefined, 'served'],
    ['an owner’s whole pack', '/packs/o/p', undefined, undefined, 'served'],
    ['the signed range exactly', '/packs/o/p', '10-19', 'bytes=10-19', 'served'],
    ['a part of the signed range', '/packs/o/p', '10-19', 'bytes=12-15', 'served'],
    ['no Range header on a ranged URL', '/packs/o/p', '10-19', undefined, 403],
    ['a range past the signed one', '/packs/o/p', '10-19', 'bytes=10-20', 403],
    ['a range before the signed one', '/packs/o/p', '10-19', 'bytes=9-19', 403],
    ['an open-ended range', '/packs/o/p', '10-19', 'bytes=10-', 403],
    ['several ranges', '/packs/o/p', '10-19', 'bytes=10-11,0-5', 403],
  ];
  it.each(cases)('answers %s', (_, uri, range, header, expected) => {
    const result = guard(request(uri, range, header));
    expect(result.statusCode === 403 ? 403 : 'served').toBe(expected);
  });

  it('runs on every viewer request of the download distribution', () => {
    // Prepare
    const { stack, template } = synth;
    const resources = template.toJSON().Resources;
    // Act
    const [association] = resources[logicalId(stack.downloads.distribution)].Properties.DistributionConfig.DefaultCacheBehavior.FunctionAssociations;
    // Assess
    expect(association.EventType).toBe('viewer-request');
    expect(resources[association.FunctionARN['Fn::GetAtt'][0]].Properties.FunctionCode).toBe(PACK_RANGE_GUARD);
  });
});

describe('data migrations', () => {
  it('run on deploy through a custom resource listing every migration, after the functions that write data are updated', () => {
    // Prepare
    const { stack, template } = synth;
    const resource = template.toJSON().Resources[logicalId(stack.migrations.resource)];
    // Assess
    expect(resource.Type).toBe('Custom::ToteDataMigrations');
    expect(resource.Properties.Migrations).toEqual(Object.values(DATA_MIGRATION_IDS));
    const writers = [stack.tracker.function, ...stack.apiFunctions.values()].map((fn) => logicalId(fn.fn));
    expect(resource.DependsOn).toEqual(expect.arrayContaining(writers));
  });

  it('grant the migrating function the table and manifest reads it needs, and the starting one only its progress items', () => {
    // Prepare
    const { stack, template } = synth;
    const table = `<${logicalId(stack.tables.fileMetadata.table)}.Arn>`;
    const roleOf = (fn: { node: { findChild(id: string): unknown } }) => logicalId(fn.node.findChild('Role') as never);
    // Act
    const migrating = grantsOf(template, roleOf(stack.migrations.isComplete));
    const starting = grantsOf(template, roleOf(stack.migrations.onEvent));
    // Assess
    expect(migrating[table]).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(migrating[`<${logicalId(stack.chunkBucket.bucket)}.Arn>/manifests/*`]).toEqual(['s3:GetObject']);
    expect(Object.keys(migrating).filter((r) => r.includes(logicalId(stack.chunkBucket.bucket)))).toHaveLength(1);
    expect(starting[table].filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual(['dynamodb:PutItem']);
    expect(Object.keys(starting).some((r) => r.includes(logicalId(stack.chunkBucket.bucket)))).toBe(false);
  });

  it('are polled by the provider every 30 s, for at most 2 hours, by functions with roles of their own', () => {
    // Act
    const machine = Object.values(synth.template.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString: unknown } };
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    // Assess
    expect(definition).toContain('\\"IntervalSeconds\\":30');
    for (const role of synth.stack.migrations.frameworkRoles) {
      expect(synth.template.toJSON().Resources[logicalId(role)].Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('outputs', () => {
  it('names the values a client or deployer needs', () => {
    // Act
    const outputs = synth.template.toJSON().Outputs;
    // Assess
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'PushUrl', 'UserPoolId', 'UserPoolClientId', 'DistributionDomainName', 'BucketName']),
    );
    expect(outputs.BucketName.Value).toEqual({ Ref: logicalId(synth.stack.chunkBucket.bucket) });
  });
});

describe('chunk collector', () => {
  it('runs every 6 hours: an EventBridge rule invoking the scheduled function, retried twice', () => {
    // Prepare
    const { stack, template } = synth;
    const scheduleId = logicalId(stack.collector.scheduleFunction.fn);
    // Act / Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(6 hours)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [scheduleId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [scheduleId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(stack.collector.rule), 'Arn'] },
    });
  });

  it('starts each namespace asynchronously, each retried twice on its own', () => {
    // Prepare
    const { stack, template } = synth;
    // Act / Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(stack.collector.namespaceFunction.fn) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
  });

  it('lists versions only under chunks/, manifests/ and staging/ (a condition on the prefix)', () => {
    // Prepare
    const { stack, template } = synth;
    const role = logicalId(stack.collector.namespaceFunction.node.findChild('Role'));
    const bucketArn = { 'Fn::GetAtt': [logicalId(stack.chunkBucket.bucket), 'Arn'] };
    // Act / Assess
    for (const prefix of ['chunks/*', 'manifests/*', 'staging/*']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: Match.arrayWith([{ Action: 's3:ListBucketVersions', Effect: 'Allow', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': [prefix] } } }]),
        },
      });
    }
  });
});
