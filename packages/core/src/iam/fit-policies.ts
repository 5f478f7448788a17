/**
 * IAM's size limits, applied to a role's policies. IAM caps the *sum* of a role's inline policies
 * at 10,240 characters, so splitting inline policies does not help; a role over that total gets
 * its policies as customer managed policies instead (6,144 characters each, 10 per role by
 * default), split by statement where one is too large.
 */
import type { NamedPolicy } from './additional-policies.js';
import {
  policySize,
  type PolicyDocument,
  type PolicyDocumentStatement,
} from './policy-document.js';

/** The most characters all inline policies of one role may hold together. */
export const INLINE_POLICIES_LIMIT = 10_240;

/** The most characters one customer managed policy may hold. */
export const MANAGED_POLICY_LIMIT = 6_144;

/** How many managed policies IAM attaches to a role by default (a quota that can be raised to 20). */
export const MANAGED_POLICIES_PER_ROLE = 10;

/** One policy of a stage role, as bootstrap creates it. */
export interface RolePolicy {
  /** `rampart-steps`, `rampart-stage`, `additional-<n>`; `-<k>` appended to each part of a split. */
  name: string;
  /** `inline` lives in the role; `managed` is a customer managed policy attached to it. */
  kind: 'inline' | 'managed';
  document: PolicyDocument;
  /** Characters IAM counts (an upper bound; see `policySize`). */
  size: number;
}

/** Something the reader of a plan or a bootstrap must know about a role's policies. */
export interface PolicyNote {
  /**
   * `POLICIES_MANAGED`: the role is over the inline total, so its policies are managed policies.
   * `POLICY_TOO_LARGE`: IAM will refuse the role as generated (a statement over 6,144 characters,
   * or more managed policies than a role takes by default).
   */
  code: 'POLICIES_MANAGED' | 'POLICY_TOO_LARGE';
  severity: 'info' | 'error';
  message: string;
}

/**
 * Inline policies when their total fits {@link INLINE_POLICIES_LIMIT}; otherwise managed policies,
 * each named policy split by statement (in order) into parts of at most
 * {@link MANAGED_POLICY_LIMIT}, with a note saying so.
 */
export function fitPolicies(
  named: readonly NamedPolicy[],
  roleName: string,
): { policies: RolePolicy[]; notes: PolicyNote[] } {
  const inline = named.map((p): RolePolicy => ({
    ...p,
    kind: 'inline',
    size: policySize(p.document),
  }));
  const total = inline.reduce((sum, p) => sum + p.size, 0);
  if (total <= INLINE_POLICIES_LIMIT) return { policies: inline, notes: [] };

  const notes: PolicyNote[] = [];
  const policies: RolePolicy[] = [];
  for (const policy of named) {
    const parts = splitDocument(policy.document, MANAGED_POLICY_LIMIT);
    parts.forEach((document, k) => {
      const name = parts.length === 1 ? policy.name : `${policy.name}-${k + 1}`;
      const size = policySize(document);
      policies.push({ name, kind: 'managed', document, size });
      if (size > MANAGED_POLICY_LIMIT) {
        notes.push({
          code: 'POLICY_TOO_LARGE',
          severity: 'error',
          message:
            `policy ${name} of role ${roleName} holds one statement of ${size} characters, ` +
            `more than the ${MANAGED_POLICY_LIMIT} a managed policy may hold: split that statement`,
        });
      }
    });
  }
  notes.unshift({
    code: 'POLICIES_MANAGED',
    severity: 'info',
    message:
      `the policies of role ${roleName} total ${total} characters, more than the ` +
      `${INLINE_POLICIES_LIMIT} IAM allows inline on one role: they are attached as ` +
      `${policies.length} managed policies`,
  });
  if (policies.length > MANAGED_POLICIES_PER_ROLE) {
    notes.push({
      code: 'POLICY_TOO_LARGE',
      severity: 'error',
      message:
        `role ${roleName} needs ${policies.length} managed policies, more than the ` +
        `${MANAGED_POLICIES_PER_ROLE} IAM attaches to a role by default: narrow ` +
        'aws_additional_iam_policies (wildcard actions such as "ecs:*" are shorter), or raise ' +
        'the "Managed policies per role" quota (up to 20)',
    });
  }
  return { policies, notes };
}

/**
 * Splits a document's statements, in order, into documents of at most `limit` characters. A
 * statement too large on its own gets a document of its own, which stays over the limit.
 */
function splitDocument(document: PolicyDocument, limit: number): PolicyDocument[] {
  const parts: PolicyDocument[] = [];
  let current: PolicyDocumentStatement[] = [];
  for (const statement of document.Statement) {
    const candidate = { Version: document.Version, Statement: [...current, statement] };
    if (current.length > 0 && policySize(candidate) > limit) {
      parts.push({ Version: document.Version, Statement: current });
      current = [statement];
    } else {
      current = candidate.Statement;
    }
  }
  if (current.length > 0 || parts.length === 0) {
    parts.push({ Version: document.Version, Statement: current });
  }
  return parts;
}
