// Repository policies (what lets other accounts pull and push) and lifecycle policies (stored and
// returned, never applied).
import { validateResourcePolicy } from '@cloud-copilot/iam-policy';
import type { ActionDefinition } from '../../framework/service.js';
import { repositoryTarget, requireRepository, validateRepositoryCall } from './ecr-access.js';
import {
  invalidParameter,
  lifecyclePolicyNotFound,
  repositoryPolicyNotFound,
} from './ecr-errors.js';

const MAX_POLICY = 10_240;
const MAX_LIFECYCLE_POLICY = 30_720;

/** Parses and checks a repository policy; throws ECR's InvalidParameterException. */
export function checkRepositoryPolicy(text: string): void {
  const invalid = (why: string) =>
    invalidParameter(
      `Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided': ${why}`,
    );
  if (text.length < 1 || text.length > MAX_POLICY) {
    throw invalid(`the policy must be 1 to ${MAX_POLICY} characters`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('it is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('it is not a JSON object');
  }
  const first = validateResourcePolicy(parsed)[0];
  if (first !== undefined) throw invalid(`${first.path}: ${first.message}`);
  const statements = (parsed as { Statement?: unknown }).Statement;
  const list: unknown[] = Array.isArray(statements) ? statements : [statements];
  if (
    list.some(
      (s) =>
        (s as { Principal?: unknown; NotPrincipal?: unknown } | null)?.Principal === undefined &&
        (s as { NotPrincipal?: unknown } | null)?.NotPrincipal === undefined,
    )
  ) {
    throw invalid('every statement needs a Principal');
  }
}

const LIFECYCLE_TAG_STATUS = ['tagged', 'untagged', 'any'];
const LIFECYCLE_COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed'];

/** Parses and checks a lifecycle policy's shape; throws ECR's InvalidParameterException. */
export function checkLifecyclePolicy(text: string): void {
  const invalid = (why: string) =>
    invalidParameter(
      `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${why}'`,
    );
  if (text.length < 100 || text.length > MAX_LIFECYCLE_POLICY) {
    throw invalid(`the policy must be 100 to ${MAX_LIFECYCLE_POLICY} characters`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('it is not valid JSON');
  }
  const rules = (parsed as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules) || rules.length === 0)
    throw invalid('"rules" must be a non-empty array');
  const priorities = new Set<number>();
  for (const [index, raw] of rules.entries()) {
    const rule = (raw ?? {}) as {
      rulePriority?: unknown;
      selection?: { tagStatus?: unknown; countType?: unknown; countNumber?: unknown };
      action?: { type?: unknown };
    };
    if (
      typeof rule.rulePriority !== 'number' ||
      !Number.isInteger(rule.rulePriority) ||
      rule.rulePriority < 1
    ) {
      throw invalid(`rules[${index}].rulePriority must be a positive integer`);
    }
    if (priorities.has(rule.rulePriority))
      throw invalid(`rulePriority ${rule.rulePriority} is used twice`);
    priorities.add(rule.rulePriority);
    const selection = rule.selection;
    if (
      !selection ||
      !LIFECYCLE_TAG_STATUS.includes(String(selection.tagStatus)) ||
      !LIFECYCLE_COUNT_TYPES.includes(String(selection.countType)) ||
      typeof selection.countNumber !== 'number' ||
      !Number.isInteger(selection.countNumber) ||
      selection.countNumber < 1
    ) {
      throw invalid(
        `rules[${index}].selection needs tagStatus (tagged|untagged|any), countType (imageCountMoreThan|sinceImagePushed) and a positive integer countNumber`,
      );
    }
    if (!['expire', 'transition'].includes(String(rule.action?.type))) {
      throw invalid(`rules[${index}].action.type must be expire or transition`);
    }
  }
}

/** Repository and lifecycle policy actions. */
export const POLICY_ACTIONS: Record<string, ActionDefinition> = {
  SetRepositoryPolicy: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      checkRepositoryPolicy(ctx.input.reqStr('policyText'));
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      repository.policyText = ctx.input.reqStr('policyText');
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        policyText: repository.policyText,
      };
    },
  },

  GetRepositoryPolicy: {
    validate: validateRepositoryCall,
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      if (repository.policyText === undefined) {
        throw repositoryPolicyNotFound(repository.name, repository.registryId);
      }
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        policyText: repository.policyText,
      };
    },
  },

  DeleteRepositoryPolicy: {
    validate: validateRepositoryCall,
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const policyText = repository.policyText;
      if (policyText === undefined)
        throw repositoryPolicyNotFound(repository.name, repository.registryId);
      delete repository.policyText;
      return { registryId: repository.registryId, repositoryName: repository.name, policyText };
    },
  },

  PutLifecyclePolicy: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      checkLifecyclePolicy(ctx.input.reqStr('lifecyclePolicyText'));
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      repository.lifecyclePolicyText = ctx.input.reqStr('lifecyclePolicyText');
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        lifecyclePolicyText: repository.lifecyclePolicyText,
      };
    },
  },

  GetLifecyclePolicy: {
    validate: validateRepositoryCall,
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      if (repository.lifecyclePolicyText === undefined) {
        throw lifecyclePolicyNotFound(repository.name, repository.registryId);
      }
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        lifecyclePolicyText: repository.lifecyclePolicyText,
      };
    },
  },

  DeleteLifecyclePolicy: {
    validate: validateRepositoryCall,
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const text = repository.lifecyclePolicyText;
      if (text === undefined) throw lifecyclePolicyNotFound(repository.name, repository.registryId);
      delete repository.lifecyclePolicyText;
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        lifecyclePolicyText: text,
      };
    },
  },
};
