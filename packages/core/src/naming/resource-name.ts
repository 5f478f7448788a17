/** Names of the AWS resources Rampart creates: normalized, within AWS limits, deterministic. */
import { RampartError } from '../errors/index.js';
import { SHORT_HASH_LENGTH, shortHash } from './short-hash.js';

/** The kinds of AWS resources Rampart names. */
export type ResourceKind = 's3-bucket' | 'ecr-repository' | 'iam-role' | 'cfn-stack';

interface KindRule {
  min: number;
  max: number;
  /** Stack names keep their case so that `Rampart-Account` reads as it does in the console. */
  keepCase: boolean;
}

const rules: Record<ResourceKind, KindRule> = {
  's3-bucket': { min: 3, max: 63, keepCase: false },
  'ecr-repository': { min: 2, max: 256, keepCase: false },
  'iam-role': { min: 1, max: 64, keepCase: false },
  'cfn-stack': { min: 1, max: 128, keepCase: true },
};

/** The longest name AWS accepts for each kind. */
export const RESOURCE_NAME_LIMITS: Readonly<Record<ResourceKind, number>> = Object.freeze({
  's3-bucket': rules['s3-bucket'].max,
  'ecr-repository': rules['ecr-repository'].max,
  'iam-role': rules['iam-role'].max,
  'cfn-stack': rules['cfn-stack'].max,
});

/** Prefix put before a stack name that would not start with a letter, as CloudFormation requires. */
export const STACK_NAME_LETTER_PREFIX = 'stack-';

// S3 rejects these outright; a name built from user ids could hit them by chance.
const reservedS3Prefixes = ['sthree-', 'amzn-s3-demo-'];
const reservedS3Suffixes = ['-s3alias'];

/**
 * Builds the name of a resource from its parts.
 *
 * The parts are joined with `-`; the result is lowercased (except for `cfn-stack`, which keeps its
 * case), every run of characters other than ASCII letters and digits becomes one `-`, and leading
 * and trailing `-` are removed. A stack name that does not start with a letter gets
 * {@link STACK_NAME_LETTER_PREFIX}. A name longer than the kind's limit
 * ({@link RESOURCE_NAME_LIMITS}) is cut and ends in `-` plus the {@link shortHash} of the full
 * normalized name, so that it is exactly as long as the limit.
 *
 * @throws RampartError `RESOURCE_NAME_INVALID` when the name is shorter than AWS allows (S3 3, ECR
 *   2, others 1) or is reserved by S3.
 */
export function resourceName(kind: ResourceKind, parts: readonly string[]): string {
  // Plans build the same few names (state bucket, repositories) once per stage and step.
  const key = `${kind}\u0000${JSON.stringify(parts)}`;
  const cached = builtNames.get(key);
  if (cached !== undefined) return cached;
  const built = buildResourceName(kind, parts);
  if (builtNames.size >= NAME_CACHE_LIMIT) builtNames.clear();
  builtNames.set(key, built);
  return built;
}

// Bounded so that a long-running server naming many stages cannot grow it without end.
const NAME_CACHE_LIMIT = 5000;
const builtNames = new Map<string, string>();

function buildResourceName(kind: ResourceKind, parts: readonly string[]): string {
  const rule = rules[kind];
  const name = normalizeResourceName(kind, parts);
  if (name.length < rule.min) {
    throw new RampartError(
      'RESOURCE_NAME_INVALID',
      `the ${kind} name built from ${JSON.stringify(parts)} is ${JSON.stringify(name)}, ` +
        `shorter than ${rule.min} characters`,
      { hint: 'Use letters or digits in the pipeline, stage and artifact names it is built from.' },
    );
  }
  const fitted = fitToLimit(name, rule.max);
  if (kind === 's3-bucket') checkS3Reserved(fitted);
  return fitted;
}

/**
 * The full name {@link resourceName} starts from: joined, case-folded for all kinds but
 * `cfn-stack`, other characters turned into `-`, runs collapsed, trimmed, and stack names prefixed
 * to start with a letter. Not cut to the limit and not checked.
 */
export function normalizeResourceName(kind: ResourceKind, parts: readonly string[]): string {
  const keepCase = rules[kind].keepCase;
  const joined = parts.join('-');
  const name = (keepCase ? joined : joined.toLowerCase())
    .replace(keepCase ? /[^A-Za-z0-9]+/g : /[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (kind === 'cfn-stack' && name !== '' && !/^[A-Za-z]/.test(name)) {
    return STACK_NAME_LETTER_PREFIX + name;
  }
  return name;
}

/**
 * How many leading characters of a normalized name survive any cut to `limit`: the head kept
 * before `-<hash>`, less the one character the cut may drop to avoid `--`. Used to build IAM
 * wildcards that match a family of names whether or not they were cut.
 */
export function keptPrefixLength(limit: number): number {
  return limit - SHORT_HASH_LENGTH - 2;
}

/**
 * Cuts `name` to `max` characters, ending in `-<hash>`. The cut never leaves `--`: when the kept
 * head would end in `-`, that `-` is dropped and the next character taken instead, so the result is
 * still exactly `max` long.
 */
function fitToLimit(name: string, max: number): string {
  if (name.length <= max) return name;
  const keep = max - SHORT_HASH_LENGTH - 1;
  let head = name.slice(0, keep);
  // Runs of `-` are already collapsed, so the character after a `-` is never another `-`.
  if (head.endsWith('-')) head = name.slice(0, keep - 1) + name.charAt(keep);
  return `${head}-${shortHash(name)}`;
}

function checkS3Reserved(name: string): void {
  const prefix = reservedS3Prefixes.find((p) => name.startsWith(p));
  const suffix = reservedS3Suffixes.find((s) => name.endsWith(s));
  const reserved = prefix ?? suffix;
  if (reserved !== undefined) {
    throw new RampartError(
      'RESOURCE_NAME_INVALID',
      `the bucket name ${JSON.stringify(name)} uses ${JSON.stringify(reserved)}, which S3 reserves`,
      {
        hint: 'Rename the artifact or pipeline so the bucket name does not start or end that way.',
      },
    );
  }
}
