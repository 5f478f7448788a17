/**
 * Reaching the accounts bootstrap deploys into: the caller's own account with the caller's
 * credentials, any other through an administration role the caller may assume
 * (`OrganizationAccountAccessRole`, then `AWSControlTowerExecution`, or only the one named by
 * `--target-account-role-name`).
 */
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { RampartError, partitionOf } from '@rampart/core';
import type { AwsClientFactory, AwsCredentialsSource } from '../sdk/aws-client-factory.js';

/** The roles tried, in order, when no role name is given. */
export const DEFAULT_ADMIN_ROLES = ['OrganizationAccountAccessRole', 'AWSControlTowerExecution'];

/** Credentials that act in one account. */
export interface AccountAccess {
  accountId: string;
  /** `undefined` for the caller's own credentials (the factory's default). */
  credentials: AwsCredentialsSource | undefined;
  /** `caller`, or the role assumed. */
  via: string;
}

/** The caller's account id, from STS `GetCallerIdentity`. */
export async function callerAccountId(sdk: AwsClientFactory, region: string): Promise<string> {
  // Loaded on first use, not with the module: see AwsClientFactory.
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  try {
    const me = await sdk.sts({ region }).send(new GetCallerIdentityCommand({}));
    if (me.Account === undefined) throw new Error('STS returned no account');
    return me.Account;
  } catch (error) {
    throw new RampartError(
      'AWS_CREDENTIALS_FAILED',
      `cannot identify your AWS credentials: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      {
        source: 'user',
        hint: 'Configure credentials for the default chain (AWS_PROFILE, environment variables, SSO login) with access to the organization.',
        cause: error,
      },
    );
  }
}

export interface ReachAccountInput {
  sdk: AwsClientFactory;
  callerAccount: string;
  accountId: string;
  region: string;
  /** `--target-account-role-name`. @default the roles of {@link DEFAULT_ADMIN_ROLES} */
  roleName?: string;
}

/**
 * Credentials for `accountId`.
 *
 * @throws RampartError `ACCOUNT_UNREACHABLE` naming the account, every role tried and the flag.
 */
export async function reachAccount(input: ReachAccountInput): Promise<AccountAccess> {
  const { sdk, accountId, region } = input;
  if (accountId === input.callerAccount)
    return { accountId, credentials: undefined, via: 'caller' };
  const roles = input.roleName === undefined ? DEFAULT_ADMIN_ROLES : [input.roleName];
  const tried: string[] = [];
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  for (const role of roles) {
    const roleArn = `arn:${partitionOf(region)}:iam::${accountId}:role/${role}`;
    try {
      const out = await sdk
        .sts({ region })
        .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'rampart-bootstrap' }));
      const c = out.Credentials;
      if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
        throw new Error('STS returned no credentials');
      }
      const credentials: AwsCredentialIdentity = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
        ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
      };
      return { accountId, credentials, via: role };
    } catch (error) {
      tried.push(`${roleArn} (${error instanceof Error ? error.name : String(error)})`);
    }
  }
  throw new RampartError(
    'ACCOUNT_UNREACHABLE',
    `cannot reach account ${accountId} from account ${input.callerAccount}: tried ${tried.join(', ')}`,
    {
      source: 'user',
      hint:
        input.roleName === undefined
          ? `Pass --target-account-role-name NAME with a role your credentials may assume in ${accountId}.`
          : `Check that role ${input.roleName} exists in ${accountId} and trusts your credentials, or pass another --target-account-role-name.`,
    },
  );
}
