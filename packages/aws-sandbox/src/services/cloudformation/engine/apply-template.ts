// Brings a stack's resources to what a template asks for, in dependency order: creates what is
// new, updates in place what changed, and creates a replacement when a change requires one (the
// old physical resource stays until clean-up). Used by stack creation and update alike.
import type { StackResource } from '../cfn-state.js';
import { providerFor } from '../resources/provider-registry.js';
import { sameValue } from '../resources/property-readers.js';
import type { ResourceProperties } from '../resources/resource-provider.js';
import { activeGraph } from '../template/dependencies.js';
import type { Template } from '../template/template-types.js';
import {
  failureReason,
  isAlive,
  providerContext,
  resourceDelay,
  resourceEvent,
  tracking,
  type OperationEnv,
} from './operation-env.js';
import { resolveProperties } from './resolve-stack-values.js';
import { runGraph, type GraphResult } from './run-graph.js';
import { stabilizeNode } from './stabilize-node.js';
import type { StackScope } from './stack-scope.js';

/** What happened to one resource. */
export interface AppliedChange {
  kind: 'create' | 'update' | 'replace';
  /** The record before the change (update and replace). */
  before?: StackResource;
}

/** The outcome of applying a template. */
export interface ApplyResult {
  result: GraphResult;
  changes: Map<string, AppliedChange>;
}

/** The reason a resource of a type the sandbox lacks fails with. */
export function unsupportedType(type: string): string {
  return `Unsupported resource type ${type} in the sandbox; see docs/cloudformation.md`;
}

/** Whether a property change requires a new physical resource. */
export function requiresReplacement(
  replaceOn: readonly string[],
  before: ResourceProperties,
  after: ResourceProperties,
): boolean {
  return replaceOn.some((name) => !sameValue(before[name], after[name]));
}

/** Whether a record stands for a resource that exists. */
export function exists(record: StackResource | undefined): record is StackResource {
  return (
    record?.physicalId !== undefined &&
    !['DELETE_COMPLETE', 'CREATE_FAILED'].includes(record.status)
  );
}

/** Why resolving a resource's properties failed (template errors read as AWS words them). */
function resolutionFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Applies `template` (under `scope`) to the stack's resources; `previous` are the records before
 * the operation (empty for a create).
 */
export async function applyTemplate(
  env: OperationEnv,
  template: Template,
  scope: StackScope,
  previous: Readonly<Record<string, StackResource>>,
  startAt: number,
): Promise<ApplyResult | undefined> {
  const { stack } = env;
  const graph = activeGraph(template, scope.active, scope.conditions);
  const changes = new Map<string, AppliedChange>();
  const reasons = new Map<string, string>();
  const quiet = new Set<string>();
  const result = await runGraph(
    [...graph].map(([id, deps]) => ({ id, deps: [...deps] })),
    startAt,
    {
      start: async (id, at) => {
        const decl = template.Resources[id];
        if (!decl) return { ok: true, delayMs: 0 };
        const provider = providerFor(decl.Type);
        const delayMs = resourceDelay(env, decl.Type);
        const { context, lastService } = tracking(providerContext(env, id));
        const settling = (record: StackResource) =>
          stabilizeNode(env, provider, {
            id,
            context,
            lastService,
            resource: () => ({
              physicalId: record.physicalId ?? '',
              props: record.properties,
              attributes: record.attributes,
            }),
            reasons,
          });
        const before = previous[id];
        const policies = {
          ...(decl.DeletionPolicy !== undefined ? { deletionPolicy: decl.DeletionPolicy } : {}),
          ...(decl.UpdateReplacePolicy !== undefined
            ? { updateReplacePolicy: decl.UpdateReplacePolicy }
            : {}),
        };
        const fresh = (status: StackResource['status']): StackResource => ({
          logicalId: id,
          type: decl.Type,
          attributes: {},
          properties: {},
          status,
          lastUpdated: at.toISOString(),
          ...policies,
        });
        let props: ResourceProperties | undefined;
        try {
          props = resolveProperties(scope.scope, decl, provider, stack.tags);
        } catch (error: unknown) {
          reasons.set(id, resolutionFailure(error));
        }
        if (!exists(before) || before.type !== decl.Type) {
          const record = fresh('CREATE_IN_PROGRESS');
          stack.resources[id] = record;
          changes.set(id, { kind: 'create' });
          resourceEvent(env, record, 'CREATE_IN_PROGRESS', at, undefined, props);
          if (props === undefined) return { ok: false, delayMs };
          record.properties = props;
          if (!provider) {
            reasons.set(id, unsupportedType(decl.Type));
            return { ok: false, delayMs };
          }
          try {
            const created = await provider.create(context, props);
            record.physicalId = created.physicalId;
            if (created.ref !== undefined) record.ref = created.ref;
            record.attributes = created.attributes;
            resourceEvent(env, record, 'CREATE_IN_PROGRESS', at, 'Resource creation Initiated');
            return { ok: true, delayMs, ...settling(record) };
          } catch (error: unknown) {
            reasons.set(id, failureReason(env, id, lastService(), error));
            return { ok: false, delayMs };
          }
        }
        const live = stack.resources[id] ?? structuredClone(before);
        stack.resources[id] = live;
        Object.assign(live, policies);
        if (decl.DeletionPolicy === undefined) delete live.deletionPolicy;
        if (decl.UpdateReplacePolicy === undefined) delete live.updateReplacePolicy;
        if (props !== undefined && sameValue(props, before.properties)) {
          quiet.add(id);
          return { ok: true, delayMs: 0 };
        }
        if (props === undefined || !provider) {
          changes.set(id, { kind: 'update', before });
          live.status = 'UPDATE_IN_PROGRESS';
          resourceEvent(env, live, 'UPDATE_IN_PROGRESS', at);
          if (!provider) reasons.set(id, unsupportedType(decl.Type));
          return { ok: false, delayMs };
        }
        if (requiresReplacement(provider.replaceOn, before.properties, props)) {
          changes.set(id, { kind: 'replace', before });
          resourceEvent(
            env,
            before,
            'UPDATE_IN_PROGRESS',
            at,
            'Requested update requires the creation of a new physical resource; hence creating one.',
            props,
          );
          const record = fresh('UPDATE_IN_PROGRESS');
          record.properties = props;
          stack.resources[id] = record;
          try {
            const created = await provider.create(context, props);
            record.physicalId = created.physicalId;
            if (created.ref !== undefined) record.ref = created.ref;
            record.attributes = created.attributes;
            resourceEvent(env, record, 'UPDATE_IN_PROGRESS', at, 'Resource creation Initiated');
            return { ok: true, delayMs, ...settling(record) };
          } catch (error: unknown) {
            reasons.set(id, failureReason(env, id, lastService(), error));
            return { ok: false, delayMs };
          }
        }
        changes.set(id, { kind: 'update', before });
        live.status = 'UPDATE_IN_PROGRESS';
        resourceEvent(env, live, 'UPDATE_IN_PROGRESS', at, undefined, props);
        try {
          const updated = await provider.update(context, {
            physicalId: before.physicalId as string,
            previous: before.properties,
            props,
            attributes: before.attributes,
          });
          live.properties = props;
          live.physicalId = updated.physicalId;
          if (updated.ref !== undefined) live.ref = updated.ref;
          live.attributes = updated.attributes;
          return { ok: true, delayMs, ...settling(live) };
        } catch (error: unknown) {
          // What was attempted, so a rollback reverts whatever part of it was applied.
          live.properties = props;
          reasons.set(id, failureReason(env, id, lastService(), error));
          return { ok: false, delayMs };
        }
      },
      finish: (id, at, ok) => {
        if (quiet.has(id)) return;
        const record = stack.resources[id];
        const change = changes.get(id);
        if (!record || !change) return;
        const verb = change.kind === 'create' ? 'CREATE' : 'UPDATE';
        const status = ok ? (`${verb}_COMPLETE` as const) : (`${verb}_FAILED` as const);
        const reason = reasons.get(id);
        record.status = status;
        record.lastUpdated = at.toISOString();
        if (reason === undefined) delete record.statusReason;
        else record.statusReason = reason;
        resourceEvent(env, record, status, at, reason);
      },
    },
    env.scheduler,
    () => isAlive(env),
  );
  return result ? { result, changes } : undefined;
}
