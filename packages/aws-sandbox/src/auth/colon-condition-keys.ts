// iam-simulate keeps a variable condition key only when its variable follows a slash
// (`aws:PrincipalTag/team`): it silently drops `kms:EncryptionContext:<key>` from the request
// context, so every condition on it would fail. These helpers rename such keys — in the request
// context and in every policy alike — to a slash form it keeps, so they evaluate as in AWS.

/** Condition keys whose variable part follows a colon. */
const COLON_VARIABLE_KEY = /^kms:EncryptionContext:(.+)$/i;

/**
 * The stand-in: `aws:RequestTag/<marker><original key>`, a global string key iam-simulate accepts
 * for every action. The marker keeps it apart from real request tags.
 */
const CARRIER_PREFIX = 'aws:RequestTag/rampart-sandbox-colon-key.';

/** The key iam-simulate is given for a condition key (unchanged unless it is a colon form). */
export function carrierKey(key: string): string {
  return COLON_VARIABLE_KEY.test(key) ? `${CARRIER_PREFIX}${key.toLowerCase()}` : key;
}

/** A request context with colon-form keys renamed (the same object when there are none). */
export function carryContextKeys(
  context: Record<string, string | string[]>,
): Record<string, string | string[]> {
  const keys = Object.keys(context);
  if (!keys.some((key) => COLON_VARIABLE_KEY.test(key))) return context;
  const out: Record<string, string | string[]> = {};
  for (const key of keys) {
    const value = context[key];
    if (value !== undefined) out[carrierKey(key)] = value;
  }
  return out;
}

function carryCondition(condition: unknown): unknown {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    return condition;
  }
  let changed = false;
  const operators: Record<string, unknown> = {};
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      operators[operator] = block;
      continue;
    }
    const renamed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      const carried = carrierKey(key);
      if (carried !== key) changed = true;
      renamed[carried] = value;
    }
    operators[operator] = renamed;
  }
  return changed ? operators : condition;
}

function carryStatement(statement: unknown): unknown {
  if (statement === null || typeof statement !== 'object' || !('Condition' in statement)) {
    return statement;
  }
  const condition = carryCondition(statement.Condition);
  return condition === statement.Condition ? statement : { ...statement, Condition: condition };
}

/**
 * A policy document (parsed JSON) with colon-form keys renamed in its conditions. Returns the
 * same object when nothing changes, so ordinary policies are not copied.
 */
export function carryPolicyKeys(policy: unknown): unknown {
  if (policy === null || typeof policy !== 'object' || !('Statement' in policy)) return policy;
  const statements = policy.Statement;
  if (Array.isArray(statements)) {
    const carried = statements.map(carryStatement);
    return carried.some((statement, index) => statement !== statements[index])
      ? { ...policy, Statement: carried }
      : policy;
  }
  const carried = carryStatement(statements);
  return carried === statements ? policy : { ...policy, Statement: carried };
}
