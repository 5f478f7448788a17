// Repositories: create, describe, delete, settings and tags.
import { paginate } from '../../framework/pagination.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { discardUpload } from './blob-store.js';
import {
  invalidNextToken,
  maxResultsOf,
  registryIdOf,
  repositoryTarget,
  repositoryTargetOf,
  requireRepository,
  validateRepositoryCall,
  checkRepositoryName,
} from './ecr-access.js';
import {
  invalidParameter,
  repositoryAlreadyExists,
  repositoryNotEmpty,
  repositoryNotFound,
} from './ecr-errors.js';
import { ecrState, findRepository, repositoryArn, type EcrRepository } from './ecr-state.js';
import { isAccountId } from './references.js';
import {
  mergeTags,
  readEncryption,
  readMutability,
  readTags,
  requestTagContext,
} from './repository-settings.js';
import { renderRepository } from './repository-view.js';

/** The repository an ECR repository ARN names (TagResource and friends). */
function repositoryByArn(ctx: ActionContext): {
  registryId: string;
  region: string;
  name: string;
  repository: EcrRepository | undefined;
} {
  const arn = ctx.input.reqStr('resourceArn');
  const match = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(arn);
  if (!match) {
    throw invalidParameter(
      `Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN ${arn}'`,
    );
  }
  const [, region, registryId, name] = match as unknown as [string, string, string, string];
  return {
    registryId,
    region,
    name,
    repository: findRepository(ctx.runtime, registryId, region, name),
  };
}

function requireByArn(ctx: ActionContext): EcrRepository {
  const found = repositoryByArn(ctx);
  if (!found.repository) throw repositoryNotFound(found.name, found.registryId);
  return found.repository;
}

const arnTarget = (ctx: ActionContext) => {
  const found = repositoryByArn(ctx);
  return [repositoryTargetOf(found.registryId, found.region, found.name, found.repository)];
};

/** Repository actions. */
export const REPOSITORY_ACTIONS: Record<string, ActionDefinition> = {
  CreateRepository: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      readTags(ctx.input, 'tags');
      readMutability(ctx.input);
      readEncryption(ctx.input);
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    context: (ctx) => requestTagContext(readTags(ctx.input, 'tags')),
    handler: (ctx) => {
      const registryId = registryIdOf(ctx);
      const name = ctx.input.reqStr('repositoryName');
      if (!ctx.world.accounts[registryId]) throw repositoryNotFound(name, registryId);
      const state = ecrState(ctx.runtime, registryId, ctx.region);
      if (Object.hasOwn(state.repositories, name)) throw repositoryAlreadyExists(name, registryId);
      const { mutability, exclusions } = readMutability(ctx.input);
      const encryption = readEncryption(ctx.input);
      const repository: EcrRepository = {
        name,
        arn: repositoryArn(ctx.region, registryId, name),
        registryId,
        region: ctx.region,
        createdAt: ctx.clock.now().toISOString(),
        imageTagMutability: mutability,
        imageTagMutabilityExclusionFilters: exclusions,
        scanOnPush: ctx.input.obj('imageScanningConfiguration')?.bool('scanOnPush') ?? false,
        encryptionType: encryption.encryptionType,
        ...(encryption.kmsKey !== undefined ? { kmsKey: encryption.kmsKey } : {}),
        tags: readTags(ctx.input, 'tags'),
        images: {},
        imageTags: {},
        layers: {},
      };
      state.repositories[name] = repository;
      return { repository: renderRepository(ctx.runtime, repository) };
    },
  },

  DescribeRepositories: {
    validate: (ctx) => {
      const registryId = ctx.input.str('registryId');
      if (registryId !== undefined && !isAccountId(registryId)) {
        throw invalidParameter(
          "Invalid parameter at 'registryId' failed to satisfy constraint: 'must satisfy regular expression '[0-9]{12}''",
        );
      }
      const names = ctx.input.strList('repositoryNames');
      for (const name of names) checkRepositoryName(name);
      if (names.length > 0 && (ctx.input.has('maxResults') || ctx.input.has('nextToken'))) {
        throw invalidParameter('maxResults and nextToken cannot be used with repositoryNames');
      }
      maxResultsOf(ctx, 100);
    },
    resources: (ctx) => {
      const registryId = registryIdOf(ctx);
      const names = ctx.input.strList('repositoryNames');
      if (names.length === 0) {
        return [{ arn: repositoryArn(ctx.region, registryId, '*'), accountId: registryId }];
      }
      return names.map((name) =>
        repositoryTargetOf(
          registryId,
          ctx.region,
          name,
          findRepository(ctx.runtime, registryId, ctx.region, name),
        ),
      );
    },
    handler: (ctx) => {
      const registryId = registryIdOf(ctx);
      const names = ctx.input.strList('repositoryNames');
      if (names.length > 0) {
        const repositories = names.map((name) => {
          const repository = findRepository(ctx.runtime, registryId, ctx.region, name);
          if (!repository) throw repositoryNotFound(name, registryId);
          return renderRepository(ctx.runtime, repository);
        });
        return { repositories };
      }
      const all = ctx.world.accounts[registryId]
        ? Object.values(ecrState(ctx.runtime, registryId, ctx.region).repositories)
        : [];
      const { page, nextToken } = paginate(
        all,
        ctx.input.str('nextToken'),
        maxResultsOf(ctx, 100),
        invalidNextToken,
      );
      return {
        repositories: page.map((repository) => renderRepository(ctx.runtime, repository)),
        ...(nextToken !== undefined ? { nextToken } : {}),
      };
    },
  },

  DeleteRepository: {
    validate: validateRepositoryCall,
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: async (ctx) => {
      const repository = requireRepository(ctx);
      if (Object.keys(repository.images).length > 0 && ctx.input.bool('force') !== true) {
        throw repositoryNotEmpty(repository.name, repository.registryId);
      }
      const state = ecrState(ctx.runtime, repository.registryId, repository.region);
      delete state.repositories[repository.name];
      for (const upload of Object.values(state.uploads)) {
        if (upload.repositoryName !== repository.name) continue;
        delete state.uploads[upload.id];
        await discardUpload(ctx.runtime, upload.id);
      }
      return { repository: renderRepository(ctx.runtime, repository) };
    },
  },

  PutImageTagMutability: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      ctx.input.reqStr('imageTagMutability');
      readMutability(ctx.input);
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const { mutability, exclusions } = readMutability(ctx.input);
      repository.imageTagMutability = mutability;
      repository.imageTagMutabilityExclusionFilters = exclusions;
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        imageTagMutability: mutability,
        ...(exclusions.length > 0 ? { imageTagMutabilityExclusionFilters: exclusions } : {}),
      };
    },
  },

  PutImageScanningConfiguration: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      if (!ctx.input.obj('imageScanningConfiguration')) {
        throw invalidParameter('imageScanningConfiguration is required');
      }
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      repository.scanOnPush =
        ctx.input.obj('imageScanningConfiguration')?.bool('scanOnPush') ?? false;
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
      };
    },
  },

  TagResource: {
    validate: (ctx) => {
      ctx.input.reqStr('resourceArn');
      readTags(ctx.input, 'tags');
    },
    resources: arnTarget,
    context: (ctx) => requestTagContext(readTags(ctx.input, 'tags')),
    handler: (ctx) => {
      const repository = requireByArn(ctx);
      repository.tags = mergeTags(repository.tags, readTags(ctx.input, 'tags'));
      return {};
    },
  },

  UntagResource: {
    validate: (ctx) => {
      ctx.input.reqStr('resourceArn');
      ctx.input.strList('tagKeys');
    },
    resources: arnTarget,
    context: (ctx) => ({ 'aws:TagKeys': ctx.input.strList('tagKeys') }),
    handler: (ctx) => {
      const repository = requireByArn(ctx);
      const removed = new Set(ctx.input.strList('tagKeys'));
      repository.tags = repository.tags.filter((tag) => !removed.has(tag.Key));
      return {};
    },
  },

  ListTagsForResource: {
    validate: (ctx) => {
      ctx.input.reqStr('resourceArn');
    },
    resources: arnTarget,
    handler: (ctx) => ({ tags: requireByArn(ctx).tags.map((tag) => ({ ...tag })) }),
  },
};
