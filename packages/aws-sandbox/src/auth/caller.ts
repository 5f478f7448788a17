// Who is calling: resolved from the credential that signed the request.
import type { AccountState, CredentialRecord, SandboxState } from '../state/sandbox-state.js';

/** The identity behind a request. */
export type Caller =
  | {
      kind: 'user';
      accountId: string;
      /** `arn:aws:iam::<acct>:user/<path><name>` */
      arn: string;
      /** The user's unique id (`AIDA…`). */
      userId: string;
      /** Same as `arn` for users (the value of `aws:PrincipalArn`). */
      principalArn: string;
      userName: string;
      credential: CredentialRecord;
    }
  | {
      kind: 'assumed-role';
      accountId: string;
      /** `arn:aws:sts::<acct>:assumed-role/<role>/<session>` */
      arn: string;
      /** `<roleId>:<session>` */
      userId: string;
      /** The role's ARN (the value of `aws:PrincipalArn`). */
      principalArn: string;
      roleName: string;
      sessionName: string;
      credential: CredentialRecord;
    }
  | {
      kind: 'anonymous';
      /** The account the request targets (from the action's own parameters). */
      accountId: string;
      arn: 'anonymous';
      userId: 'anonymous';
      principalArn: 'anonymous';
    };

/** The anonymous caller of unsigned requests. */
export const ANONYMOUS: Caller = {
  kind: 'anonymous',
  accountId: '',
  arn: 'anonymous',
  userId: 'anonymous',
  principalArn: 'anonymous',
};

/** Resolves the caller of a verified credential (undefined if its user or role is gone). */
export function callerFor(state: SandboxState, credential: CredentialRecord): Caller | undefined {
  const account: AccountState | undefined = state.accounts[credential.accountId];
  if (!account) return undefined;
  if (credential.kind === 'user') {
    const user = account.iam.users[credential.userName];
    if (!user) return undefined;
    return {
      kind: 'user',
      accountId: account.id,
      arn: user.arn,
      userId: user.id,
      principalArn: user.arn,
      userName: user.name,
      credential,
    };
  }
  const role = account.iam.roles[credential.roleName];
  const roleArn = role?.arn ?? `arn:aws:iam::${account.id}:role/${credential.roleName}`;
  return {
    kind: 'assumed-role',
    accountId: account.id,
    arn: `arn:aws:sts::${account.id}:assumed-role/${credential.roleName}/${credential.sessionName}`,
    userId: `${credential.roleId}:${credential.sessionName}`,
    principalArn: roleArn,
    roleName: credential.roleName,
    sessionName: credential.sessionName,
    credential,
  };
}
