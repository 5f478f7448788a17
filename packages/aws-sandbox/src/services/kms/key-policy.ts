// Key policies: the default one AWS writes, the policies of AWS managed keys, validation, and the
// lockout safety check.
import { validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { CommonError } from '../../framework/aws-error.js';
import type { ActionContext } from '../../framework/service.js';
import type { SandboxState } from '../../state/sandbox-state.js';
import { malformedPolicy, validation } from './kms-errors.js';

/** The only key policy name. */
export const POLICY_NAME = 'default';

const MAX_POLICY_LENGTH = 32_768;

/** The policy KMS attaches when CreateKey has none: the account root may do everything. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/**
 * The policy of an AWS managed key (`aws/<service>`): every principal of the account may use it
 * through that service only, and the account may read its metadata. Nobody can change it.
 */
export function awsManagedKeyPolicy(accountId: string, region: string, service: string): string {
  const viaService = `${service}.${region}.amazonaws.com`;
  const sid = `Allow access through ${service} for all principals in the account that are authorized to use ${service}`;
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${service}-2`,
      Statement: [
        {
          Sid: sid,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncrypt*',
            'kms:CreateGrant',
            'kms:DescribeKey',
            'kms:GenerateDataKey*',
          ],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': viaService },
          },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

function principalArns(policy: unknown): string[] {
  const statements = (policy as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  const arns: string[] = [];
  for (const statement of list) {
    const principal = (statement as { Principal?: unknown } | undefined)?.Principal;
    if (principal === null || typeof principal !== 'object') continue;
    const aws = (principal as { AWS?: unknown }).AWS;
    for (const value of Array.isArray(aws) ? aws : [aws]) {
      if (typeof value === 'string') arns.push(value);
    }
  }
  return arns;
}

/** Whether an IAM user or role ARN of a sandbox account names no existing entity. */
function isMissingEntity(world: SandboxState, arn: string): boolean {
  const match = /^arn:aws:iam::(\d{12}):(user|role)\//.exec(arn);
  if (!match) return false;
  const account = world.accounts[match[1] ?? ''];
  if (!account) return false;
  const entities = match[2] === 'user' ? account.iam.users : account.iam.roles;
  return !Object.values(entities).some((entity) => entity.arn === arn);
}

/**
 * Checks a key policy document: size, JSON, policy grammar, and that the IAM users and roles it
 * names exist (as KMS does when the policy is set). Returns the text unchanged.
 */
export function validateKeyPolicy(world: SandboxState, text: string): string {
  if (text.length === 0 || text.length > MAX_POLICY_LENGTH) {
    throw validation(
      `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length between 1 and ${MAX_POLICY_LENGTH}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedPolicy('The key policy is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw malformedPolicy('The key policy is not valid JSON.');
  }
  const first = validateResourcePolicy(parsed)[0];
  if (first !== undefined) {
    throw malformedPolicy(`The key policy is invalid. ${first.path}: ${first.message}`);
  }
  if (principalArns(parsed).some((arn) => isMissingEntity(world, arn))) {
    throw malformedPolicy('Policy contains a statement with one or more invalid principals.');
  }
  return text;
}

/**
 * The lockout safety check of CreateKey and PutKeyPolicy: the new policy must still let the
 * caller change the policy later, unless `BypassPolicyLockoutSafetyCheck` is set.
 */
export async function checkPolicyLockout(
  ctx: ActionContext,
  key: { arn: string; accountId: string },
  policy: string,
): Promise<void> {
  if (ctx.input.bool('BypassPolicyLockoutSafetyCheck') === true) return;
  try {
    await ctx.authorize('kms:PutKeyPolicy', {
      arn: key.arn,
      accountId: key.accountId,
      resourcePolicy: JSON.parse(policy) as unknown,
    });
  } catch (error: unknown) {
    if (error instanceof CommonError && error.kind === 'AccessDenied') {
      throw malformedPolicy(
        'The new key policy will not allow you to update the key policy in the future.',
      );
    }
    throw error;
  }
}
