/** SDK clients the runtime itself uses to provision and serve, pointed at the local services. */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { LOCAL_REGION } from '../config';
import { localCredentials } from './credentials';
import type { S3Backend } from './s3-backend';

export const s3ClientFor = (backend: S3Backend) =>
  new S3Client({
    endpoint: backend.endpoint,
    region: LOCAL_REGION,
    credentials: backend.credentials,
    forcePathStyle: true,
    // Emulators and radosgw do not all understand the SDK's default aws-chunked uploads with trailing checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

export const dynamoDbClientFor = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });

export const dynamoDbStreamsClientFor = (endpoint: string) =>
  new DynamoDBStreamsClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });

export const cognitoClientFor = (endpoint: string) =>
  new CognitoIdentityProviderClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });
