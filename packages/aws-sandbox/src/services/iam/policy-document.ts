// Validates policy documents sent to IAM and STS: JSON first, then the policy grammar.
import {
  validateIdentityPolicy,
  validateSessionPolicy,
  validateTrustPolicy,
} from '@cloud-copilot/iam-policy';
import { malformedPolicy } from './iam-errors.js';

/** Which grammar applies. */
export type PolicyKind = 'identity' | 'trust' | 'session';

const VALIDATORS = {
  identity: validateIdentityPolicy,
  trust: validateTrustPolicy,
  session: validateSessionPolicy,
} as const;

/** The largest policy document IAM accepts (managed policies allow 6,144 characters). */
const MAX_LENGTH = 131_072;

/**
 * Parses and validates a policy document; returns it normalised to compact JSON.
 * Throws `MalformedPolicyDocument` with the first problem found.
 */
export function validatePolicyDocument(text: string, kind: PolicyKind): string {
  if (text.length > MAX_LENGTH) throw malformedPolicy('Policy document is too large.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedPolicy('This policy contains invalid Json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw malformedPolicy('This policy contains invalid Json');
  }
  const errors = VALIDATORS[kind](parsed);
  const first = errors[0];
  if (first !== undefined) {
    throw malformedPolicy(`Syntax errors in policy. ${first.path}: ${first.message}`);
  }
  return JSON.stringify(parsed);
}
