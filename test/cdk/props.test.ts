import { App, Stack } from 'aws-cdk-lib';
import { HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ROUTES } from '@contract/routes';
import { Api } from '../../lib/constructs/api';
import { Auth } from '../../lib/constructs/auth';
import { ChunkBucket } from '../../lib/constructs/chunk-bucket';
import { Downloads } from '../../lib/constructs/downloads';
import { LogBucket } from '../../lib/constructs/log-bucket';
import { ServiceFunction } from '../../lib/constructs/service-function';
import { ToteStack } from '../../lib/tote-stack';
import { CHUNK_TRACKER_ENTRY } from '../../lib/source-layout';

/** A fresh stack per case; nothing here bundles or synthesizes, so these run in milliseconds. */
const newStack = () => new Stack(new App(), 'Props');
const bucketIn = (stack: Stack) => new s3.Bucket(stack, 'Logs');
const inlineFunction = (stack: Stack) =>
  new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
const allHandlers = (stack: Stack) => {
  const fn = inlineFunction(stack);
  return new Map(Object.values(ROUTES).map((route) => [route.handler as string, fn]));
};

const invalid: [string, (stack: Stack) => unknown, RegExp][] = [
  ['ChunkBucket: origin with a path', (s) => new ChunkBucket(s, 'C', { accessLogsBucket: bucketIn(s), webOrigins: ['https://app.example.com/'] }), /webOrigins/],
  ['ChunkBucket: wildcard origin', (s) => new ChunkBucket(s, 'C', { accessLogsBucket: bucketIn(s), webOrigins: ['*'] }), /webOrigins/],
  ['ChunkBucket: no origins', (s) => new ChunkBucket(s, 'C', { accessLogsBucket: bucketIn(s), webOrigins: [] }), /at least one/],
  ['ChunkBucket: zero-day version expiry', (s) => new ChunkBucket(s, 'C', { accessLogsBucket: bucketIn(s), noncurrentVersionDays: 0 }), /noncurrentVersionDays/],
  ['LogBucket: zero-day retention', (s) => new LogBucket(s, 'L', { retentionDays: 0 }), /retentionDays/],
  ['Auth: password shorter than 8', (s) => new Auth(s, 'A', { passwordMinLength: 6 }), /passwordMinLength/],
  ['Auth: fractional refresh token days', (s) => new Auth(s, 'A', { refreshTokenDays: 1.5 }), /refreshTokenDays/],
  ['ServiceFunction: 64 MB', (s) => new ServiceFunction(s, 'F', { entry: CHUNK_TRACKER_ENTRY, description: 'x', memorySize: 64 }), /memorySize/],
  ['ServiceFunction: timeout over 15 minutes', (s) => new ServiceFunction(s, 'F', { entry: CHUNK_TRACKER_ENTRY, description: 'x', timeoutSeconds: 901 }), /timeoutSeconds/],
  ['ServiceFunction: missing entry file', (s) => new ServiceFunction(s, 'F', { entry: '/nowhere/handler.ts', description: 'x' }), /does not exist/],
  [
    'Api: a route whose handler has no function',
    (s) => {
      const functions = allHandlers(s);
      functions.delete('get-download');
      return new Api(s, 'Api', { functions, authorizer: new HttpNoneAuthorizer(), authorizationScopes: ['s'] });
    },
    /get-download/,
  ],
  ['Api: zero rate limit', (s) => new Api(s, 'Api', { functions: allHandlers(s), authorizer: new HttpNoneAuthorizer(), authorizationScopes: ['s'], throttleRateLimit: 0 }), /throttleRateLimit/],
  ['Api: no authorization scope', (s) => new Api(s, 'Api', { functions: allHandlers(s), authorizer: new HttpNoneAuthorizer(), authorizationScopes: [] }), /authorizationScopes/],
  [
    'Downloads: origin with a path',
    (s) =>
      new Downloads(s, 'D', {
        bucket: new s3.Bucket(s, 'Chunks'),
        logBucket: bucketIn(s),
        signingPublicKeyPem: '-----BEGIN PUBLIC KEY-----',
        signingKeySecretName: 'tote/key',
        webOrigins: ['https://app.example.com/path'],
      }),
    /webOrigins/,
  ],
  ['ToteStack: bad web origin (fails before any bundling)', () => new ToteStack(new App(), 'Tote', { webOrigins: ['localhost:5173'] }), /webOrigins/],
];

describe('invalid props throw at construction, naming the prop', () => {
  it.each(invalid)('%s', (_name, build, message) => {
    // Prepare
    const stack = newStack();
    // Act / Assess
    expect(() => build(stack)).toThrow(message);
  });
});

describe('defaults are valid', () => {
  it('constructs accept their documented defaults', () => {
    // Prepare
    const stack = newStack();
    // Act / Assess
    expect(() => {
      new ChunkBucket(stack, 'C', { accessLogsBucket: bucketIn(stack) });
      new LogBucket(stack, 'L');
      new Auth(stack, 'A');
      new Api(stack, 'Api', { functions: allHandlers(stack), authorizer: new HttpNoneAuthorizer(), authorizationScopes: ['s'] });
    }).not.toThrow();
  });
});
