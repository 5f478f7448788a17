// Collects the policies that apply to a caller: identity (inline + managed), boundary, session.
import { AWS_MANAGED_POLICIES } from '../state/aws-managed-policies.js';
import type { IamAccountState, IamPrincipalEntity } from '../state/iam-state.js';
import type { SandboxState } from '../state/sandbox-state.js';
import type { Caller } from './caller.js';
import { parsePolicyDocument } from './policy-documents.js';

/** A named policy document (parsed JSON, frozen: shared between requests). */
export interface NamedPolicy {
  name: string;
  policy: unknown;
}

/** The principal-side policies of a caller. */
export interface CallerPolicies {
  identity: NamedPolicy[];
  boundary?: NamedPolicy;
  session?: unknown;
  tags: { Key: string; Value: string }[];
}

/** The default version document of a managed policy (AWS managed or customer managed). */
export function managedPolicyDocument(
  iam: IamAccountState | undefined,
  arn: string,
): string | undefined {
  const aws = AWS_MANAGED_POLICIES.get(arn);
  if (aws) return aws.document;
  const policy = iam?.policies[arn];
  return policy?.versions.find((version) => version.versionId === policy.defaultVersionId)
    ?.document;
}

function entityPolicies(iam: IamAccountState, entity: IamPrincipalEntity): NamedPolicy[] {
  const out: NamedPolicy[] = [];
  for (const [name, document] of Object.entries(entity.inlinePolicies)) {
    out.push({ name: `inline:${name}`, policy: parsePolicyDocument(document) });
  }
  for (const arn of entity.attachedPolicies) {
    const document = managedPolicyDocument(iam, arn);
    if (document !== undefined) out.push({ name: arn, policy: parsePolicyDocument(document) });
  }
  return out;
}

/** The policies of a caller; a deleted user or role leaves no policies (everything is denied). */
export function callerPolicies(state: SandboxState, caller: Caller): CallerPolicies {
  if (caller.kind === 'anonymous') return { identity: [], tags: [] };
  const iam = state.accounts[caller.accountId]?.iam;
  if (!iam) return { identity: [], tags: [] };
  const entity = caller.kind === 'user' ? iam.users[caller.userName] : iam.roles[caller.roleName];
  if (!entity) return { identity: [], tags: [] };
  const result: CallerPolicies = { identity: entityPolicies(iam, entity), tags: [...entity.tags] };
  if (entity.permissionsBoundary !== undefined) {
    const document = managedPolicyDocument(iam, entity.permissionsBoundary);
    if (document !== undefined) {
      result.boundary = {
        name: entity.permissionsBoundary,
        policy: parsePolicyDocument(document),
      };
    }
  }
  const credential = caller.credential;
  if (credential.kind === 'session') {
    if (credential.sessionPolicy !== undefined) {
      result.session = parsePolicyDocument(credential.sessionPolicy);
    }
    // Session tags override principal tags with the same key.
    for (const tag of credential.tags) {
      result.tags = result.tags.filter((existing) => existing.Key !== tag.Key);
      result.tags.push(tag);
    }
  }
  return result;
}
