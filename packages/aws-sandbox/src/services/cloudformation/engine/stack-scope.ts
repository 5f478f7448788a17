// The scope a stack's template is resolved in: its parameters and conditions, its resources as
// they exist, the region's exports — or, when planning, `UNKNOWN` for what is not known yet.
import type { ActionContext } from '../../../framework/service.js';
import { templateError, templateFormatError, validationError } from '../cfn-errors.js';
import type { CfnRegionState, StackParameter, StackResource } from '../cfn-state.js';
import { evaluateConditions } from '../template/conditions.js';
import { UNKNOWN, type ResolveScope } from '../template/intrinsics.js';
import { parameterRefValues } from '../template/parameters.js';
import type { Template } from '../template/template-types.js';
import { providerFor } from '../resources/provider-registry.js';
import { liveExports } from './exports.js';

/** A resolution scope with the evaluated conditions and the resources that exist under them. */
export interface StackScope {
  scope: ResolveScope;
  conditions: Record<string, boolean>;
  /** Logical ids whose `Condition` holds. */
  active: Set<string>;
  /** Export names resolved through `Fn::ImportValue`. */
  imported: Set<string>;
}

/** What a scope is built from. */
export interface ScopeInput {
  ctx: ActionContext;
  state: CfnRegionState;
  stackName: string;
  stackId: string;
  notificationArns: readonly string[];
  template: Template;
  parameters: readonly StackParameter[];
  /** The resources as they exist (read live, so values appear as resources are created). */
  resources: () => Readonly<Record<string, StackResource>>;
  /** Resources whose Ref/GetAtt values are not known yet (planning). @default none */
  unknown?: (logicalId: string) => boolean;
}

/** Builds the scope; throws `ValidationError` for bad conditions. */
export function stackScope(input: ScopeInput): StackScope {
  const { ctx, template } = input;
  const base = {
    accountId: ctx.accountId,
    region: ctx.region,
    stackName: input.stackName,
    stackId: input.stackId,
    notificationArns: input.notificationArns,
    template,
    parameters: parameterRefValues(template, input.parameters),
  };
  const conditions = evaluateConditions(template, base);
  const active = new Set(
    Object.entries(template.Resources)
      .filter(([, decl]) => decl.Condition === undefined || conditions[decl.Condition] === true)
      .map(([id]) => id),
  );
  const imported = new Set<string>();
  const existing = (logicalId: string): StackResource | undefined => {
    if (!active.has(logicalId)) {
      throw templateFormatError(
        `Unresolved resource dependencies [${logicalId}] in the Resources block of the template`,
      );
    }
    if (input.unknown?.(logicalId) === true) return undefined;
    const resource = input.resources()[logicalId];
    if (resource?.physicalId === undefined) {
      if (input.unknown !== undefined) return undefined;
      throw templateError(`resource ${logicalId} does not exist yet`);
    }
    return resource;
  };
  const scope: ResolveScope = {
    ...base,
    condition: (name) => {
      const value = conditions[name];
      if (value === undefined) throw templateError(`unresolved condition dependency ${name}`);
      return value;
    },
    resourceRef: (logicalId) => {
      const resource = existing(logicalId);
      if (!resource) return UNKNOWN;
      return resource.ref ?? resource.physicalId ?? UNKNOWN;
    },
    resourceAttribute: (logicalId, attribute) => {
      const type = template.Resources[logicalId]?.Type ?? '';
      const provider = providerFor(type);
      if (provider && !provider.attributes.includes(attribute)) {
        throw templateError(
          `resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`,
        );
      }
      const resource = existing(logicalId);
      if (!resource) return UNKNOWN;
      const value = resource.attributes[attribute];
      if (value === undefined) {
        throw templateError(
          `resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`,
        );
      }
      return value;
    },
    importValue: (name) => {
      const found = liveExports(input.state).get(name);
      if (!found || found.stackName === input.stackName) {
        throw validationError(`No export named ${name} found.`);
      }
      imported.add(name);
      return found.value;
    },
  };
  return { scope, conditions, active, imported };
}
