/** The IAM statements a step type asks for, and what it knows about the stage it runs in. */
import type { AwsPartition } from '../aws-facts/index.js';

/** One statement of an identity policy. Only `Allow`: the stage role grants, never denies. */
export interface IamStatement {
  /** Letters and digits only; unique within one step's statements (see `withUniqueSids`). */
  Sid: string;
  Effect: 'Allow';
  /** Sorted, without duplicates. */
  Action: string[];
  Resource: string | string[];
  /** Operator → condition key → value(s), as in a policy document. @default no condition */
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The stage a policy is generated for. */
export interface IamContext {
  partition: AwsPartition;
  /** The stage's account. */
  accountId: string;
  /** The stage's region. */
  region: string;
  pipelineSlug: string;
  stageName: string;
  /**
   * The organization's Terraform state bucket (in the CI/CD account). When absent, statements name
   * {@link STATE_BUCKET_PLACEHOLDER} so that offline output still shows what will be granted.
   * @default STATE_BUCKET_PLACEHOLDER
   */
  stateBucket?: string;
  /** The ARN of the organization's KMS key. @default KMS_KEY_PLACEHOLDER */
  kmsKeyArn?: string;
}

/** Stands for the state bucket in offline output; bootstrap always passes the real name. */
export const STATE_BUCKET_PLACEHOLDER = '<terraform-state-bucket>';

/** Stands for the organization's KMS key ARN in offline output. */
export const KMS_KEY_PLACEHOLDER = '<organization-kms-key-arn>';

/** Builds a statement with sorted, de-duplicated actions. */
export function allow(
  sid: string,
  actions: readonly string[],
  resource: string | readonly string[],
  condition?: IamStatement['Condition'],
): IamStatement {
  const s: IamStatement = {
    Sid: sid,
    Effect: 'Allow',
    Action: sortedUnique(actions),
    Resource: typeof resource === 'string' ? resource : [...new Set(resource)],
  };
  if (condition !== undefined) s.Condition = condition;
  return s;
}

/** `[...new Set(values)].sort()`, with a fast path for the usual already-sorted list. */
function sortedUnique(values: readonly string[]): string[] {
  for (let i = 1; i < values.length; i++) {
    // `<` compares UTF-16 code units, the order the default sort uses.
    if (!((values[i - 1] as string) < (values[i] as string))) return sortedCopy(values);
  }
  return [...values];
}

// Step types build the same action lists for every step and stage: each is sorted once.
const SORTED_CACHE_LIMIT = 1000;
const sortedLists = new Map<string, readonly string[]>();

function sortedCopy(values: readonly string[]): string[] {
  const key = JSON.stringify(values);
  let sorted = sortedLists.get(key);
  if (sorted === undefined) {
    sorted = [...new Set(values)].sort();
    if (sortedLists.size >= SORTED_CACHE_LIMIT) sortedLists.clear();
    sortedLists.set(key, sorted);
  }
  return [...sorted];
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; region and account may be empty. */
export function arn(
  partition: AwsPartition,
  service: string,
  region: string,
  account: string,
  resource: string,
): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** The parts of an ARN, or `undefined` when `value` is not one. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Splits an ARN into its fields; the resource keeps any `:` and `/` it holds. */
export function parseArn(value: string): ParsedArn | undefined {
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/.exec(value);
  if (m === null) return undefined;
  const [, partition = '', service = '', region = '', account = '', resource = ''] = m;
  return { partition, service, region, account, resource };
}

/**
 * Gives each statement a Sid that is unique in the list, appending 2, 3, … to repeats, so that the
 * statements of several steps of one type can share a policy (IAM rejects duplicate Sids).
 */
export function withUniqueSids(statements: readonly IamStatement[]): IamStatement[] {
  const seen = new Map<string, number>();
  const taken = new Set(statements.map((s) => s.Sid));
  return statements.map((s) => {
    const count = (seen.get(s.Sid) ?? 0) + 1;
    seen.set(s.Sid, count);
    if (count === 1) return s;
    let n = count;
    while (taken.has(`${s.Sid}${n}`)) n += 1;
    taken.add(`${s.Sid}${n}`);
    return { ...s, Sid: `${s.Sid}${n}` };
  });
}
