import { createResolver } from '../../../local/template/intrinsics';
import type { CfnTemplate } from '../../../local/template/types';

const template: CfnTemplate = {
  Parameters: {
    KeyPem: { Type: 'String' },
    SecretName: { Type: 'String', Default: 'tote/key' },
    Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
  },
  Mappings: { Sizes: { small: { mb: 128 } } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'SecretName' }, 'prod'] } },
  Resources: { Table: { Type: 'AWS::DynamoDB::Table' }, Fn: { Type: 'AWS::Lambda::Function' } },
};

const resolve = createResolver({
  template,
  parameters: { KeyPem: 'PEM' },
  pseudo: { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '000000000000' },
  ref: (id) => `physical-${id}`,
  getAtt: (id, attr) => `${id}.${attr}`,
});

test.each([
  ['Ref to a parameter', { Ref: 'KeyPem' }, 'PEM'],
  ['Ref to a parameter default', { Ref: 'SecretName' }, 'tote/key'],
  ['Ref to a list parameter', { Ref: 'Zones' }, ['a', 'b']],
  ['Ref to a pseudo parameter', { Ref: 'AWS::Region' }, 'us-east-1'],
  ['Ref to a resource', { Ref: 'Table' }, 'physical-Table'],
  ['GetAtt as a list', { 'Fn::GetAtt': ['Fn', 'Arn'] }, 'Fn.Arn'],
  ['GetAtt as a dotted string', { 'Fn::GetAtt': 'Fn.Arn' }, 'Fn.Arn'],
  ['Join', { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Fn', 'DomainName'] }]] }, 'https://Fn.DomainName'],
  ['Sub with names and attributes', { 'Fn::Sub': 'arn:${AWS::Region}:${Table}:${Fn.Arn}' }, 'arn:us-east-1:physical-Table:Fn.Arn'],
  ['Sub with a variable map', { 'Fn::Sub': ['${x}-${AWS::AccountId}', { x: { Ref: 'Table' } }] }, 'physical-Table-000000000000'],
  ['Sub keeps ${!literal}', { 'Fn::Sub': '${!Literal}' }, '${Literal}'],
  ['Select', { 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] }, 'y'],
  ['FindInMap', { 'Fn::FindInMap': ['Sizes', 'small', 'mb'] }, 128],
  ['If on a condition', { 'Fn::If': ['IsProd', 'p', 'd'] }, 'd'],
  ['Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
  ['nested objects', { Variables: { A: { Ref: 'Table' }, B: 'plain' } }, { Variables: { A: 'physical-Table', B: 'plain' } }],
  ['AWS::NoValue drops the key', { A: 1, B: { 'Fn::If': ['IsProd', 2, { Ref: 'AWS::NoValue' }] } }, { A: 1 }],
  ['AWS::NoValue drops the list item', [1, { Ref: 'AWS::NoValue' }, 3], [1, 3]],
])('%s', (_, input, expected) => {
  // Act
  const resolved = resolve(input, 'test');

  // Assess
  expect(resolved).toEqual(expected);
});

test.each([
  ['an unknown Ref', { Ref: 'Nope' }, /test: Ref to unknown name Nope/],
  ['an unsupported function', { 'Fn::ImportValue': 'x' }, /Fn::ImportValue is not supported/],
  ['GetAtt of an unknown resource', { 'Fn::GetAtt': ['Nope', 'Arn'] }, /GetAtt of unknown resource Nope/],
  ['a missing mapping', { 'Fn::FindInMap': ['Sizes', 'huge', 'mb'] }, /no mapping Sizes.huge.mb/],
])('%s throws naming where', (_, input, message) => {
  // Act + Assess
  expect(() => resolve(input, 'test')).toThrow(message);
});

test('a parameter with neither value nor default throws', () => {
  // Prepare
  const bare = createResolver({ template, parameters: {}, pseudo: {}, ref: String, getAtt: String });

  // Act + Assess
  expect(() => bare({ Ref: 'KeyPem' }, 'Fn.Environment')).toThrow(/parameter KeyPem has no value and no default/);
});
