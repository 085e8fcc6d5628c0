import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '@contract/env';
import { LIMITS } from '@contract/limits';
import { requireIntInRange } from '../validation';

export interface AuthProps {
  /** Minimum password length; Cognito allows 6..99, we never go below 8. @default 12 */
  readonly passwordMinLength?: number;
  /** How long a CLI session lasts without a new password. @default 30 */
  readonly refreshTokenDays?: number;
  /** How long a web session lasts without a new password (the web app may run on a borrowed computer). @default 12 */
  readonly webRefreshTokenHours?: number;
}

/**
 * The scope Cognito puts in every access token it issues through its user-pool API sign-in (and
 * never in an ID token, which has no scope at all). Routes require it, so an ID token is refused.
 */
export const ACCESS_TOKEN_SCOPE = 'aws.cognito.signin.user.admin';

/**
 * Who the users are: a Cognito user pool (email sign-in, self sign-up, verified email) and the app
 * clients the `tote` CLI and the web app sign in with, plus the HTTP API authorizer that trusts exactly
 * those two. The web app has its own client so its sessions can be shorter than the CLI's and either
 * can be switched off alone.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly cliClient: cognito.UserPoolClient;
  readonly webClient: cognito.UserPoolClient;
  /** JWT authorizer: issuer = this pool, audience = the CLI and web clients (checked against `client_id` of access tokens). */
  readonly httpAuthorizer: HttpUserPoolAuthorizer;
  /** Scopes every authorized route requires: only access tokens carry them. */
  readonly authorizationScopes: readonly string[] = [ACCESS_TOKEN_SCOPE];

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);
    const minLength = requireIntInRange('passwordMinLength', props.passwordMinLength ?? 12, 8, 99);
    const refreshTokenDays = requireIntInRange('refreshTokenDays', props.refreshTokenDays ?? 30, 1, 3650);
    const webRefreshTokenHours = requireIntInRange('webRefreshTokenHours', props.webRefreshTokenHours ?? 12, 1, 87_600);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: true,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Users are the keys to everyone's files: the pool outlives the stack and resists accidental deletes.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });

    // The CLI signs in with USER_PASSWORD_AUTH and refreshes with the refresh token.
    this.cliClient = this.publicClient('CliClient', Duration.days(refreshTokenDays));
    // Sessions end sooner than the CLI's: the refresh token lives in the tab's sessionStorage and is
    // revoked at sign-out (web/src/auth/session.ts).
    this.webClient = this.publicClient('WebClient', Duration.hours(webRefreshTokenHours));

    this.httpAuthorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', this.userPool, {
      userPoolClients: [this.cliClient, this.webClient],
    });
  }

  /** An app client that keeps no secret (a CLI, a browser) and signs in with the user-pool API only. */
  private publicClient(id: string, refreshTokenValidity: Duration): cognito.UserPoolClient {
    return this.userPool.addClient(id, {
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // Short: API Gateway's authorizer cannot know an account was deleted or disabled after its token was issued.
      accessTokenValidity: Duration.minutes(LIMITS.accessTokenMinutes),
      idTokenValidity: Duration.minutes(LIMITS.accessTokenMinutes),
      refreshTokenValidity,
    });
  }

  /** Tells a function which pool and clients to announce (GET /health); no IAM rights are needed for that. */
  bind(fn: lambda.Function): void {
    fn.addEnvironment(ENV.userPoolId, this.userPool.userPoolId);
    fn.addEnvironment(ENV.userPoolClientId, this.cliClient.userPoolClientId);
    fn.addEnvironment(ENV.userPoolWebClientId, this.webClient.userPoolClientId);
  }

  /** Lets a function find users by email (sharing): the pool id, and ListUsers on this pool only. */
  bindDirectory(fn: lambda.Function): void {
    fn.addEnvironment(ENV.userPoolId, this.userPool.userPoolId);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cognito-idp:ListUsers'], resources: [this.userPool.userPoolArn] }));
  }

  /** Lets a function ask whether a caller's account still exists and is enabled: the pool id, and AdminGetUser on this pool only. */
  bindAccountCheck(fn: lambda.Function): void {
    fn.addEnvironment(ENV.userPoolId, this.userPool.userPoolId);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cognito-idp:AdminGetUser'], resources: [this.userPool.userPoolArn] }));
  }

  /** Runs `fn` after each sign-up is confirmed (Cognito invokes it and waits for its answer). */
  onConfirmation(fn: lambda.IFunction): void {
    this.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, fn);
  }
}
