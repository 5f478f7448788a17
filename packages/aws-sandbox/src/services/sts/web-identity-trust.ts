// Evaluates a role's trust policy for a web identity, with only the keys AWS offers for generic
// OIDC providers: `<provider>:aud`, `<provider>:sub`, `<provider>:oaud`.
import { evaluate } from '../../auth/authorizer.js';

/**
 * iam-simulate only accepts OIDC condition keys of providers it knows, and provider ids with a port
 * or a path (`127.0.0.1:8080:sub`) do not parse as condition keys at all. So the trust policy's keys
 * for this provider are renamed to one provider iam-simulate knows, and keys of that provider that
 * do not belong to this one are renamed to a key that is never set.
 */
const ALIAS = 'accounts.google.com';
const NEVER_SET = 'graph.facebook.com:id';
const PROVIDER_KEYS = new Set(['aud', 'sub', 'oaud']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function renameKey(key: string, providerUrl: string): string {
  const lower = key.toLowerCase();
  const prefix = `${providerUrl.toLowerCase()}:`;
  if (lower.startsWith(prefix)) {
    const claim = lower.slice(prefix.length);
    return PROVIDER_KEYS.has(claim) ? `${ALIAS}:${claim}` : NEVER_SET;
  }
  if (lower.startsWith(`${ALIAS}:`)) return NEVER_SET;
  return key;
}

/** A copy of the trust policy with this provider's condition keys renamed to the alias. */
export function aliasTrustPolicy(policy: Json, providerUrl: string): Json {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) return policy;
  const statements = Array.isArray(policy['Statement'])
    ? policy['Statement']
    : [policy['Statement'] ?? null];
  const renamed = statements.map((statement) => {
    if (statement === null || typeof statement !== 'object' || Array.isArray(statement))
      return statement;
    const condition = statement['Condition'];
    if (condition === null || typeof condition !== 'object' || Array.isArray(condition))
      return statement;
    const newCondition: { [key: string]: Json } = {};
    for (const [operator, block] of Object.entries(condition)) {
      if (block === null || typeof block !== 'object' || Array.isArray(block)) {
        newCondition[operator] = block;
        continue;
      }
      const newBlock: { [key: string]: Json } = {};
      for (const [key, value] of Object.entries(block))
        newBlock[renameKey(key, providerUrl)] = value;
      newCondition[operator] = newBlock;
    }
    return { ...statement, Condition: newCondition };
  });
  return { ...policy, Statement: renamed };
}

/** The claims a trust policy may test. */
export interface WebIdentityClaims {
  sub: string;
  /** `azp` when present, else the audience that matched a client id. */
  aud: string;
  /** The token's `aud` values, set only when `azp` is present (as AWS does). */
  oaud?: string[];
}

/** Whether the trust policy lets this web identity assume the role. */
export async function trustAllowsWebIdentity(options: {
  trustPolicy: string;
  providerArn: string;
  providerUrl: string;
  roleArn: string;
  roleAccountId: string;
  claims: WebIdentityClaims;
  context: Record<string, string>;
}): Promise<boolean> {
  const { claims } = options;
  const context: Record<string, string | string[]> = {
    ...options.context,
    [`${ALIAS}:sub`]: claims.sub,
    [`${ALIAS}:aud`]: claims.aud,
    ...(claims.oaud !== undefined ? { [`${ALIAS}:oaud`]: claims.oaud } : {}),
  };
  const result = await evaluate(
    {
      principal: options.providerArn,
      action: 'sts:AssumeRoleWithWebIdentity',
      target: {
        arn: options.roleArn,
        accountId: options.roleAccountId,
        resourcePolicy: aliasTrustPolicy(
          JSON.parse(options.trustPolicy) as Json,
          options.providerUrl,
        ),
      },
      policies: { identity: [], tags: [] },
      context,
    },
    options.roleAccountId,
  );
  return result.allowed;
}
