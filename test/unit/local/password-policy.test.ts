import { passwordPolicyOf, passwordViolation } from '../../../local/emulators/password-policy';

// As CDK synthesizes the stack's pool (lib/constructs/auth.ts).
const templatePool = {
  Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, RequireUppercase: true, TemporaryPasswordValidityDays: 3 } },
};

test("reads the pool's policy from its template properties", () => {
  expect(passwordPolicyOf(templatePool)).toEqual({ minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true });
  expect(passwordPolicyOf({ Policies: { PasswordPolicy: { MinimumLength: 6 } } })).toEqual({
    minimumLength: 6,
    requireLowercase: false,
    requireUppercase: false,
    requireNumbers: false,
    requireSymbols: false,
  });
  expect(passwordPolicyOf({}).minimumLength).toBe(8);
});

test.each([
  ['weak', 'Password not long enough'],
  ['Abcdefgh1!x', 'Password not long enough'],
  ['ABCDEFGH1!XY', 'Password must have lowercase characters'],
  ['abcdefgh1!xy', 'Password must have uppercase characters'],
  ['Abcdefghi!xy', 'Password must have numeric characters'],
  ['Abcdefghi1xy', 'Password must have symbol characters'],
  [' Abcdefghi1xy', 'Password must have symbol characters'],
])('refuses %j as Cognito does: %s', (password, problem) => {
  expect(passwordViolation(passwordPolicyOf(templatePool), password)).toBe(`Password did not conform with policy: ${problem}`);
});

test.each(['Abcdefgh1!xy', 'Correct horse 9battery', 'Tt1~tttttttt', 'Tt1`tttttttt'])('accepts %j', (password) => {
  expect(passwordViolation(passwordPolicyOf(templatePool), password)).toBeUndefined();
});
