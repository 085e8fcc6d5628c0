/**
 * The local "deployment": which physical name each resource gets and what its attributes resolve to.
 * CloudFormation generates names on AWS; locally they are derived from the logical id (stable across
 * restarts, so the data dir keeps matching) unless the template names the resource itself.
 */
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../config';
import type { CfnResource, CfnTemplate } from './types';

/** Values only known once the emulators run: ids they generated and the addresses they listen on. */
export interface LocalValues {
  readonly stackName: string;
  readonly userPoolIds: Readonly<Record<string, string>>;
  readonly userPoolClientIds: Readonly<Record<string, string>>;
  readonly keyPairIds: Readonly<Record<string, string>>;
  /** host:port of the local CloudFront edge, what a distribution's DomainName resolves to. */
  readonly edgeHost: string;
  /** host:port of distributions served elsewhere than the edge (the web app's), by logical id. */
  readonly distributionHosts?: Readonly<Record<string, string>>;
  readonly apiUrl: string;
}

const arn = (service: string, resource: string, region: string = LOCAL_REGION) =>
  `arn:aws:${service}:${region}:${LOCAL_ACCOUNT}:${resource}`;

const bucketName = (stackName: string, logicalId: string) =>
  `${stackName}-${logicalId}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);

export function physicalId(template: CfnTemplate, values: LocalValues, logicalId: string): string {
  const resource = template.Resources[logicalId];
  const props = resource.Properties ?? {};
  const named = (prop: string) => (typeof props[prop] === 'string' ? (props[prop] as string) : undefined);
  const lookup = (ids: Readonly<Record<string, string>>) => {
    const id = ids[logicalId];
    if (!id) throw new Error(`${resource.Type} ${logicalId} has not been created locally`);
    return id;
  };
  switch (resource.Type) {
    case 'AWS::DynamoDB::Table':
      return named('TableName') ?? `${values.stackName}-${logicalId}`;
    case 'AWS::S3::Bucket':
      return named('BucketName') ?? bucketName(values.stackName, logicalId);
    case 'AWS::Lambda::Function':
      return named('FunctionName') ?? `${values.stackName}-${logicalId}`.slice(0, 64);
    case 'AWS::Cognito::UserPool':
      return lookup(values.userPoolIds);
    case 'AWS::Cognito::UserPoolClient':
      return lookup(values.userPoolClientIds);
    case 'AWS::CloudFront::PublicKey':
      return lookup(values.keyPairIds);
    default:
      return logicalId;
  }
}

export function attribute(template: CfnTemplate, values: LocalValues, logicalId: string, name: string): string {
  const resource: CfnResource = template.Resources[logicalId];
  const id = physicalId(template, values, logicalId);
  const attributes: Record<string, Record<string, () => string>> = {
    'AWS::DynamoDB::Table': { Arn: () => arn('dynamodb', `table/${id}`), StreamArn: () => arn('dynamodb', `table/${id}/stream/local`) },
    'AWS::S3::Bucket': {
      Arn: () => `arn:aws:s3:::${id}`,
      DomainName: () => `${id}.s3.amazonaws.com`,
      RegionalDomainName: () => `${id}.s3.${LOCAL_REGION}.amazonaws.com`,
    },
    'AWS::Lambda::Function': { Arn: () => arn('lambda', `function:${id}`) },
    'AWS::Cognito::UserPool': {
      Arn: () => arn('cognito-idp', `userpool/${id}`),
      ProviderName: () => `cognito-idp.${LOCAL_REGION}.amazonaws.com/${id}`,
      ProviderURL: () => `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${id}`,
      UserPoolId: () => id,
    },
    'AWS::Cognito::UserPoolClient': { ClientId: () => id },
    'AWS::CloudFront::PublicKey': { Id: () => id },
    'AWS::CloudFront::Distribution': { DomainName: () => values.distributionHosts?.[logicalId] ?? values.edgeHost, Id: () => id },
    'AWS::CloudFront::Function': { FunctionARN: () => `arn:aws:cloudfront::${LOCAL_ACCOUNT}:function/${id}` },
    'AWS::ApiGatewayV2::Api': { ApiEndpoint: () => values.apiUrl, ApiId: () => id },
  };
  const known = attributes[resource.Type]?.[name];
  if (known) return known();
  // Roles, log groups, queues...: nothing local depends on them beyond having a well-formed ARN.
  if (name === 'Arn') return arn(resource.Type.split('::')[1].toLowerCase(), id);
  if (name === 'Id') return id;
  throw new Error(`Fn::GetAtt ${logicalId}.${name} (${resource.Type}) has no local value`);
}

export function pseudoParameters(stackName: string): Record<string, string> {
  return {
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
    'AWS::StackId': arn('cloudformation', `stack/${stackName}/local`),
  };
}
