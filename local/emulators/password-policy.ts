/**
 * A user pool's password policy as the template declares it (`Policies.PasswordPolicy` of an
 * AWS::Cognito::UserPool), and the check Cognito applies when a password is set. cognito-local
 * stores the policy but never applies it; the Cognito front (cognito-front.ts) does.
 */
export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

/** What Cognito applies to a pool whose template names no policy. */
const COGNITO_DEFAULT: PasswordPolicy = { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true };

/** The policy of a pool, from its template properties (intrinsics resolved). */
export function passwordPolicyOf(poolProperties: Readonly<Record<string, unknown>>): PasswordPolicy {
  const declared = (poolProperties.Policies as { PasswordPolicy?: Record<string, unknown> } | undefined)?.PasswordPolicy;
  if (!declared) return COGNITO_DEFAULT;
  // CloudFormation leaves an unnamed requirement off, which Cognito reads as "not required".
  return {
    minimumLength: Number(declared.MinimumLength ?? COGNITO_DEFAULT.minimumLength),
    requireLowercase: declared.RequireLowercase === true,
    requireUppercase: declared.RequireUppercase === true,
    requireNumbers: declared.RequireNumbers === true,
    requireSymbols: declared.RequireSymbols === true,
  };
}

/** Cognito's special characters (and a space that neither starts nor ends the password). */
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]|(?<=.) (?=.)/;

/** Cognito's checks in its order, each with its reason for refusing, word for word. */
const CHECKS: readonly [fails: (policy: PasswordPolicy, password: string) => boolean, reason: string][] = [
  [(p, pw) => pw.length < p.minimumLength, 'Password not long enough'],
  [(p, pw) => p.requireLowercase && !/[a-z]/.test(pw), 'Password must have lowercase characters'],
  [(p, pw) => p.requireUppercase && !/[A-Z]/.test(pw), 'Password must have uppercase characters'],
  [(p, pw) => p.requireNumbers && !/[0-9]/.test(pw), 'Password must have numeric characters'],
  [(p, pw) => p.requireSymbols && !SYMBOL.test(pw), 'Password must have symbol characters'],
];

/** Why Cognito would refuse `password` under `policy`, or undefined when it allows it. */
export function passwordViolation(policy: PasswordPolicy, password: string): string | undefined {
  const failed = CHECKS.find(([fails]) => fails(policy, password));
  return failed && `Password did not conform with policy: ${failed[1]}`;
}
