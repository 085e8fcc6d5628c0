import { dynamoDbStoreFromEnv } from '../../../local/config';

describe('dynamoDbStoreFromEnv', () => {
  it.each([
    [{}, 'disk'],
    [{ TOTE_LOCAL_DYNAMODB_STORE: '' }, 'disk'],
    [{ TOTE_LOCAL_DYNAMODB_STORE: 'disk' }, 'disk'],
    [{ TOTE_LOCAL_DYNAMODB_STORE: 'memory' }, 'memory'],
  ])('reads %j as %s', (env, expected) => {
    expect(dynamoDbStoreFromEnv(env)).toBe(expected);
  });

  it('refuses a value it does not know, naming the variable', () => {
    expect(() => dynamoDbStoreFromEnv({ TOTE_LOCAL_DYNAMODB_STORE: 'tmpfs' })).toThrow('TOTE_LOCAL_DYNAMODB_STORE=tmpfs is neither disk nor memory');
  });
});
