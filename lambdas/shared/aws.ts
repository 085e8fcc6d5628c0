/**
 * AWS SDK clients, created once per cold start by the handler modules. Endpoints come from the SDK's
 * standard AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local runtime and
 * LocalStack point the same bundles at emulators.
 */
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '@contract/env';
import { optionalEnv } from './config';

export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function createS3Client(): S3Client {
  return new S3Client({
    // Emulators (and LocalStack) serve buckets by path, not by virtual host.
    forcePathStyle: optionalEnv(ENV.s3ForcePathStyle) === 'true',
    // No default CRC32 checksums: presigned PUTs stay plain (a browser or curl can send them) and
    // S3-compatible stores without flexible-checksum support accept them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function createCognitoClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({});
}

export function createLambdaClient(): LambdaClient {
  return new LambdaClient({});
}

/** The management API (`@connections`) of one WebSocket API stage: `https://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
export function createManagementClient(endpoint: string): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({ endpoint });
}
