// The parameters AssumeRole and AssumeRoleWithWebIdentity share: session name, duration, policies.
import type { ActionContext } from '../../framework/service.js';
import { managedPolicyDocument } from '../../auth/identity-policies.js';
import type { IamRole } from '../../state/iam-state.js';
import { validatePolicyDocument } from '../iam/policy-document.js';
import { packedPolicyTooLarge, stsValidation } from './sts-errors.js';

/** `RoleSessionName`: `[\w+=,.@-]{2,64}`. */
export function checkSessionName(name: string): string {
  if (!/^[\w+=,.@-]*$/.test(name)) {
    throw stsValidation(
      `1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
  if (name.length < 2 || name.length > 64) {
    throw stsValidation(
      `1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: ` +
        'Member must have length between 2 and 64',
    );
  }
  return name;
}

/** `DurationSeconds`: 900 up to the role's maximum, one hour when chaining roles. */
export function sessionDuration(
  requested: number | undefined,
  role: IamRole,
  chained: boolean,
): number {
  const seconds = requested ?? 3600;
  if (seconds < 900) {
    throw stsValidation(
      `1 validation error detected: Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: ` +
        'Member must have value greater than or equal to 900',
    );
  }
  if (seconds > 43200) {
    throw stsValidation(
      `1 validation error detected: Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: ` +
        'Member must have value less than or equal to 43200',
    );
  }
  if (chained && seconds > 3600) {
    throw stsValidation(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (seconds > role.maxSessionDuration) {
    throw stsValidation(
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  return seconds;
}

/**
 * The session policy from `Policy` and `PolicyArns`, merged into one document (the session may do
 * what any of them allows, intersected with the role's policies). Undefined when neither is given.
 */
export function sessionPolicy(ctx: ActionContext, roleAccountId: string): string | undefined {
  const inline = ctx.input.str('Policy');
  const arns = ctx.input.list('PolicyArns').map((entry) => entry.reqStr('arn'));
  if (inline === undefined && arns.length === 0) return undefined;
  if (arns.length > 10) throw stsValidation('PolicyArns may name at most 10 managed policies.');
  if (inline !== undefined && inline.length > 2048) {
    throw packedPolicyTooLarge('Packed policy consumes more than 100% of the allotted space.');
  }
  const statements: unknown[] = [];
  const addStatements = (document: string): void => {
    const parsed = JSON.parse(document) as { Statement?: unknown };
    const list: unknown[] = Array.isArray(parsed.Statement)
      ? (parsed.Statement as unknown[])
      : [parsed.Statement];
    statements.push(...list);
  };
  if (inline !== undefined) addStatements(validatePolicyDocument(inline, 'session'));
  const iam = ctx.world.accounts[roleAccountId]?.iam;
  for (const arn of arns) {
    const document = managedPolicyDocument(iam, arn);
    if (document === undefined)
      throw stsValidation(`Policy ${arn} does not exist or is not attachable.`);
    addStatements(document);
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
