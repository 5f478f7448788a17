// Customer managed policies and their versions (at most 5), plus read access to AWS managed ones.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { AWS_MANAGED_POLICIES } from '../../state/aws-managed-policies.js';
import { uniqueId } from '../../state/ids.js';
import type { ManagedPolicy, PolicyVersion } from '../../state/iam-state.js';
import { getPolicy, iamOf, policyUsage } from './iam-access.js';
import {
  deleteConflict,
  entityAlreadyExists,
  limitExceeded,
  noSuchEntity,
  unmodifiable,
} from './iam-errors.js';
import { iamPage, mergeTags } from './iam-lists.js';
import { checkName, checkPath, encodeDocument, iamArn } from './iam-names.js';
import { policyXml } from './iam-render.js';
import { validatePolicyDocument } from './policy-document.js';

const MAX_VERSIONS = 5;

/**
 * AWS managed policies live in the pseudo-account `aws`, which iam-simulate treats as another
 * account; they are authorized on `*` instead (still matched by `arn:aws:iam::aws:policy/*`).
 */
function policyResource(arn: string): string {
  return arn.startsWith('arn:aws:iam::aws:') ? '*' : arn;
}

const onPolicy = (handler: (ctx: ActionContext) => unknown): ActionDefinition => ({
  resources: (ctx) => [policyResource(ctx.input.reqStr('PolicyArn'))],
  handler,
});

function customerPolicy(ctx: ActionContext): ManagedPolicy {
  const view = getPolicy(ctx, ctx.input.reqStr('PolicyArn'));
  if (view.kind === 'aws') throw unmodifiable(`Cannot modify AWS managed policy ${view.arn}.`);
  return view.policy;
}

function versionXml(
  version: PolicyVersion,
  defaultId: string,
  withDocument: boolean,
): Record<string, unknown> {
  return {
    ...(withDocument ? { Document: encodeDocument(version.document) } : {}),
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === defaultId,
    CreateDate: new Date(version.createDate),
  };
}

function findVersion(policy: ManagedPolicy, versionId: string): PolicyVersion {
  const version = policy.versions.find((candidate) => candidate.versionId === versionId);
  if (!version)
    throw noSuchEntity(
      `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
    );
  return version;
}

/** Managed policy actions, by name. */
export const managedPolicyActions: Record<string, ActionDefinition> = {
  CreatePolicy: {
    resources: (ctx) => [
      iamArn(
        ctx.accountId,
        'policy',
        ctx.input.str('Path') ?? '/',
        ctx.input.str('PolicyName') ?? '',
      ),
    ],
    handler: (ctx) => {
      const name = checkName('policyName', ctx.input.reqStr('PolicyName'), 128);
      const path = checkPath(ctx.input.str('Path'));
      const document = validatePolicyDocument(ctx.input.reqStr('PolicyDocument'), 'identity');
      const iam = iamOf(ctx);
      const arn = iamArn(ctx.accountId, 'policy', path, name);
      if (Object.values(iam.policies).some((policy) => policy.name === name)) {
        throw entityAlreadyExists(
          `A policy called ${name} already exists. Duplicate names are not allowed.`,
        );
      }
      const now = ctx.clock.now().toISOString();
      const description = ctx.input.str('Description');
      const policy: ManagedPolicy = {
        arn,
        name,
        path,
        id: uniqueId('ANPA'),
        createDate: now,
        updateDate: now,
        defaultVersionId: 'v1',
        nextVersion: 2,
        versions: [{ versionId: 'v1', document, createDate: now }],
        tags: mergeTags([], ctx.input.tags()),
        ...(description !== undefined ? { description } : {}),
      };
      iam.policies[arn] = policy;
      return { Policy: policyXml(iam, { kind: 'customer', policy }) };
    },
  },
  GetPolicy: onPolicy((ctx) => ({
    Policy: policyXml(iamOf(ctx), getPolicy(ctx, ctx.input.reqStr('PolicyArn'))),
  })),
  ListPolicies: {
    handler: (ctx) => {
      const scope = ctx.input.str('Scope') ?? 'All';
      const onlyAttached = ctx.input.bool('OnlyAttached') ?? false;
      const prefix = ctx.input.str('PathPrefix') ?? '/';
      const iam = iamOf(ctx);
      const views = [
        ...(scope === 'Local'
          ? []
          : [...AWS_MANAGED_POLICIES.values()].map((p) => ({ kind: 'aws' as const, ...p }))),
        ...(scope === 'AWS'
          ? []
          : Object.values(iam.policies).map((policy) => ({ kind: 'customer' as const, policy }))),
      ].filter((view) => {
        const arn = view.kind === 'aws' ? view.arn : view.policy.arn;
        const path = view.kind === 'aws' ? '/' : view.policy.path;
        return path.startsWith(prefix) && (!onlyAttached || policyUsage(iam, arn).attachments > 0);
      });
      const { page, ...rest } = iamPage(ctx, views);
      return { Policies: page.map((view) => policyXml(iam, view)), ...rest };
    },
  },
  DeletePolicy: onPolicy((ctx) => {
    const policy = customerPolicy(ctx);
    const iam = iamOf(ctx);
    const usage = policyUsage(iam, policy.arn);
    if (usage.attachments > 0 || usage.boundaries > 0) {
      throw deleteConflict('Cannot delete a policy attached to entities.');
    }
    if (policy.versions.length > 1) {
      throw deleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. " +
          'The default version is deleted with the policy.',
      );
    }
    delete iam.policies[policy.arn];
    return undefined;
  }),
  TagPolicy: onPolicy((ctx) => {
    const policy = customerPolicy(ctx);
    policy.tags = mergeTags(policy.tags, ctx.input.tags());
    return undefined;
  }),
  UntagPolicy: onPolicy((ctx) => {
    const policy = customerPolicy(ctx);
    const keys = new Set(ctx.input.strList('TagKeys'));
    policy.tags = policy.tags.filter((tag) => !keys.has(tag.Key));
    return undefined;
  }),
  CreatePolicyVersion: onPolicy((ctx) => {
    const policy = customerPolicy(ctx);
    const document = validatePolicyDocument(ctx.input.reqStr('PolicyDocument'), 'identity');
    if (policy.versions.length >= MAX_VERSIONS) {
      throw limitExceeded(
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      );
    }
    const now = ctx.clock.now().toISOString();
    const version: PolicyVersion = {
      versionId: `v${policy.nextVersion}`,
      document,
      createDate: now,
    };
    policy.nextVersion += 1;
    policy.versions.push(version);
    policy.updateDate = now;
    if (ctx.input.bool('SetAsDefault') === true) policy.defaultVersionId = version.versionId;
    return { PolicyVersion: versionXml(version, policy.defaultVersionId, false) };
  }),
  GetPolicyVersion: onPolicy((ctx) => {
    const view = getPolicy(ctx, ctx.input.reqStr('PolicyArn'));
    const versionId = ctx.input.reqStr('VersionId');
    if (view.kind === 'aws') {
      if (versionId !== 'v1')
        throw noSuchEntity(`Policy ${view.arn} version ${versionId} does not exist.`);
      return {
        PolicyVersion: {
          Document: encodeDocument(view.document),
          VersionId: 'v1',
          IsDefaultVersion: true,
          CreateDate: new Date('2015-02-06T18:39:46Z'),
        },
      };
    }
    return {
      PolicyVersion: versionXml(
        findVersion(view.policy, versionId),
        view.policy.defaultVersionId,
        true,
      ),
    };
  }),
  ListPolicyVersions: onPolicy((ctx) => {
    const view = getPolicy(ctx, ctx.input.reqStr('PolicyArn'));
    if (view.kind === 'aws') {
      return {
        Versions: [
          { VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date('2015-02-06T18:39:46Z') },
        ],
        IsTruncated: false,
      };
    }
    const sorted = [...view.policy.versions].reverse();
    const { page, ...rest } = iamPage(ctx, sorted);
    return {
      Versions: page.map((v) => versionXml(v, view.policy.defaultVersionId, false)),
      ...rest,
    };
  }),
  DeletePolicyVersion: onPolicy((ctx) => {
    const policy = customerPolicy(ctx);
    const version = findVersion(policy, ctx.input.reqStr('VersionId'));
    if (version.versionId === policy.defaultVersionId) {
      throw deleteConflict('Cannot delete the default version of a policy.');
    }
    policy.versions = policy.versions.filter((candidate) => candidate !== version);
    return undefined;
  }),
  SetDefaultPolicyVersion: onPolicy((ctx) => {
    const policy = customerPolicy(ctx);
    policy.defaultVersionId = findVersion(policy, ctx.input.reqStr('VersionId')).versionId;
    policy.updateDate = ctx.clock.now().toISOString();
    return undefined;
  }),
};
