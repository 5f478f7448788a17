/** IAM policy documents as Rampart writes them: identity policies, trust policies, resource policies. */

/** The policy language version every document Rampart writes declares. */
export const POLICY_VERSION = '2012-10-17';

/** Who a trust or resource policy statement applies to. */
export type PolicyPrincipal =
  '*' | { AWS?: string | string[]; Federated?: string; Service?: string | string[] };

/** One statement; `Principal` appears only in trust and resource policies. */
export interface PolicyDocumentStatement {
  /** Letters and digits; unique within a document when present. @default none */
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Trust and resource policies only. @default none (identity policy) */
  Principal?: PolicyPrincipal;
  Action: string | string[];
  /** Absent in trust policies, where the role itself is the resource. @default none */
  Resource?: string | string[];
  /** Operator → condition key → value(s). @default no condition */
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyDocumentStatement[];
}

/**
 * The characters IAM counts against its size limits. IAM ignores white space outside values; the
 * compact JSON has none, and the spaces it keeps inside values make this an upper bound, so a
 * document that fits here fits in IAM.
 */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}
