// Resolves `RoleArn` parameters to roles.
import type { SandboxState } from '../../state/sandbox-state.js';
import type { IamRole } from '../../state/iam-state.js';
import { stsValidation } from './sts-errors.js';

/** The account id and role name in a role ARN; throws `ValidationError` when it is not one. */
export function parseRoleArn(arn: string): { accountId: string; name: string } {
  const match = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/.exec(arn);
  if (!match) {
    throw stsValidation(
      `1 validation error detected: Value '${arn}' at 'roleArn' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
    );
  }
  return { accountId: match[1] as string, name: match[2] as string };
}

/** The role an ARN names, if it exists (path included). */
export function findRole(state: SandboxState, arn: string): IamRole | undefined {
  const { accountId, name } = parseRoleArn(arn);
  const role = state.accounts[accountId]?.iam.roles[name];
  return role?.arn === arn ? role : undefined;
}
