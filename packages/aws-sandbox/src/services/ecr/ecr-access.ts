// How ECR API calls name their repository, and the IAM target each one is authorized on: the
// repository ARN in the registry's account, with the repository policy as resource policy.
import type { ResourceTarget } from '../../auth/authorizer.js';
import { parsePolicyDocument } from '../../auth/policy-documents.js';
import type { ActionContext } from '../../framework/service.js';
import { invalidParameter, repositoryNotFound } from './ecr-errors.js';
import { findRepository, repositoryArn, type EcrRepository } from './ecr-state.js';
import { isAccountId, isValidRepositoryName, REPOSITORY_NAME_PATTERN } from './references.js';

/** The registry (account) a call addresses: `registryId`, else the caller's account. */
export function registryIdOf(ctx: ActionContext): string {
  return ctx.input.str('registryId') ?? ctx.accountId;
}

/** Checks `registryId` and `repositoryName` before authorization, as ECR validates first. */
export function validateRepositoryCall(ctx: ActionContext): void {
  const registryId = ctx.input.str('registryId');
  if (registryId !== undefined && !isAccountId(registryId)) {
    throw invalidParameter(
      "Invalid parameter at 'registryId' failed to satisfy constraint: 'must satisfy regular expression '[0-9]{12}''",
    );
  }
  checkRepositoryName(ctx.input.reqStr('repositoryName'));
}

/** Throws ECR's InvalidParameterException for a malformed repository name. */
export function checkRepositoryName(name: string): void {
  if (!isValidRepositoryName(name)) {
    throw invalidParameter(
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME_PATTERN}' and have length between 2 and 256'`,
    );
  }
}

/** `aws:ResourceTag/*` and `ecr:ResourceTag/*` of a repository. */
function tagContext(repository: EcrRepository): Record<string, string> {
  const context: Record<string, string> = {};
  for (const tag of repository.tags) {
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    context[`ecr:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return context;
}

/** The IAM target of a repository (existing or not) in a registry and region. */
export function repositoryTargetOf(
  registryId: string,
  region: string,
  name: string,
  repository: EcrRepository | undefined,
): ResourceTarget {
  return {
    arn: repositoryArn(region, registryId, name),
    accountId: registryId,
    ...(repository?.policyText !== undefined
      ? { resourcePolicy: parsePolicyDocument(repository.policyText) }
      : {}),
    ...(repository && repository.tags.length > 0 ? { context: tagContext(repository) } : {}),
  };
}

/** The IAM target of the call's `repositoryName` in its registry. */
export function repositoryTarget(ctx: ActionContext): ResourceTarget {
  const registryId = registryIdOf(ctx);
  const name = ctx.input.reqStr('repositoryName');
  return repositoryTargetOf(
    registryId,
    ctx.region,
    name,
    findRepository(ctx.runtime, registryId, ctx.region, name),
  );
}

/** The call's repository, or RepositoryNotFoundException. */
export function requireRepository(ctx: ActionContext): EcrRepository {
  const registryId = registryIdOf(ctx);
  const name = ctx.input.reqStr('repositoryName');
  const repository = findRepository(ctx.runtime, registryId, ctx.region, name);
  if (!repository) throw repositoryNotFound(name, registryId);
  return repository;
}

/** `maxResults` within ECR's bounds (1–1000). */
export function maxResultsOf(ctx: ActionContext, fallback: number): number {
  const max = ctx.input.int('maxResults') ?? fallback;
  if (max < 1 || max > 1000) {
    throw invalidParameter(
      "Invalid parameter at 'maxResults' failed to satisfy constraint: 'must be less than or equal to 1000 and greater than or equal to 1'",
    );
  }
  return max;
}

/** The error of a pagination token the sandbox did not issue. */
export function invalidNextToken(): ReturnType<typeof invalidParameter> {
  return invalidParameter(
    "Invalid parameter at 'nextToken' failed to satisfy constraint: 'invalid token'",
  );
}
