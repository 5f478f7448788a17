// Reading repository policies outside a request: whether a policy lets another account pull.
// Request-time checks go through the IAM simulator; this is for callers with no request (ECS
// deciding whether a task can pull its image), so it reads the document directly.
import { parsePolicyDocument } from '../../auth/policy-documents.js';

/** The actions that pulling needs, and the patterns that match them. */
function matchesAction(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(action.toLowerCase());
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether a statement's principal names the account: `*`, its root, its bare id, or `AWS: *`. */
function principalNames(principal: unknown, accountId: string): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  return asList((principal as { AWS?: unknown }).AWS).some(
    (entry) => entry === '*' || entry === accountId || entry === `arn:aws:iam::${accountId}:root`,
  );
}

function statementApplies(statement: unknown, action: string, accountId: string): boolean {
  if (statement === null || typeof statement !== 'object') return false;
  const s = statement as { Principal?: unknown; Action?: unknown; NotAction?: unknown };
  if (!principalNames(s.Principal, accountId)) return false;
  if (s.NotAction !== undefined) {
    return !asList(s.NotAction).some(
      (pattern) => typeof pattern === 'string' && matchesAction(pattern, action),
    );
  }
  return asList(s.Action).some(
    (pattern) => typeof pattern === 'string' && matchesAction(pattern, action),
  );
}

/**
 * Whether a repository policy allows `action` to a whole account (its root or `*`): some Allow
 * statement without conditions names it and no Deny statement does. Conditional statements are
 * not evaluated here, so a conditional Allow does not count and a conditional Deny does.
 */
export function policyAllowsAccount(
  policyText: string | undefined,
  action: string,
  accountId: string,
): boolean {
  if (policyText === undefined) return false;
  let document: unknown;
  try {
    document = parsePolicyDocument(policyText);
  } catch {
    return false;
  }
  const statements = asList((document as { Statement?: unknown } | null)?.Statement);
  let allowed = false;
  for (const statement of statements) {
    if (!statementApplies(statement, action, accountId)) continue;
    const { Effect, Condition } = statement as { Effect?: unknown; Condition?: unknown };
    if (Effect === 'Deny') return false;
    if (Effect === 'Allow' && Condition === undefined) allowed = true;
  }
  return allowed;
}
