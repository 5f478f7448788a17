// Parsed IAM policy documents shared between requests: each distinct document is parsed, and
// validated for iam-simulate, once rather than on every authorized call.
import {
  createValidatedPolicy,
  validateIdentityPolicy,
  validateResourcePolicy,
  type ValidatedPolicy,
} from '@cloud-copilot/iam-policy';

/** Distinct documents kept; past it the cache starts over (documents are small). */
const MAX_CACHED_DOCUMENTS = 5000;

const byText = new Map<string, unknown>();
/** The documents handed out by {@link parsePolicyDocument}: frozen, so safe to share. */
const shared = new WeakSet<object>();
const validated = {
  identity: new WeakMap<object, ValidatedPolicy>(),
  resource: new WeakMap<object, ValidatedPolicy>(),
};

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The parsed document of a policy's JSON text, cached by text and deeply frozen because every
 * request with the same document shares it. Throws `SyntaxError` on malformed JSON, as
 * `JSON.parse` does.
 */
export function parsePolicyDocument(text: string): unknown {
  if (byText.has(text)) return byText.get(text);
  const document = deepFreeze(JSON.parse(text) as unknown);
  if (byText.size >= MAX_CACHED_DOCUMENTS) byText.clear();
  byText.set(text, document);
  if (typeof document === 'object' && document !== null) shared.add(document);
  return document;
}

/** How iam-simulate validates a document: as an identity-side or a resource-side policy. */
export type PolicySide = 'identity' | 'resource';

/**
 * A document as iam-simulate takes it. A document from {@link parsePolicyDocument} comes wrapped
 * with its validation result, computed once per document and side, so the simulation skips
 * re-validating it; any other value (a document a service parsed itself) is returned unchanged
 * and validated by the simulation as before.
 */
export function forSimulation(document: unknown, side: PolicySide): unknown {
  if (typeof document !== 'object' || document === null || !shared.has(document)) return document;
  const cache = validated[side];
  let wrapped = cache.get(document);
  if (wrapped === undefined) {
    wrapped = createValidatedPolicy(
      document,
      side === 'identity' ? validateIdentityPolicy : validateResourcePolicy,
    );
    cache.set(document, wrapped);
  }
  return wrapped;
}
