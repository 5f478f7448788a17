// Resolving what a template asks for: a resource's properties (stack tags merged in) and outputs.
import { templateFormatError } from '../cfn-errors.js';
import type { CfnTag, StackOutput } from '../cfn-state.js';
import {
  hasUnknown,
  KnownAfterApply,
  NO_VALUE,
  resolveValue,
  type Resolved,
  type ResolveScope,
} from '../template/intrinsics.js';
import type { ResourceDeclaration, Template } from '../template/template-types.js';
import type { ResourceProvider } from '../resources/resource-provider.js';

/** Resolved properties, possibly holding `UNKNOWN` values when planning. */
export type PlannedProperties = Record<string, Resolved>;

/** Merges stack tags under a resource's own `Tags` (the resource's keys win). */
function withStackTags(props: PlannedProperties, stackTags: readonly CfnTag[]): PlannedProperties {
  if (stackTags.length === 0) return props;
  const own = props['Tags'];
  if (own !== undefined && !Array.isArray(own)) return props;
  const ownTags = own ?? [];
  const ownKeys = new Set(
    ownTags.map((tag) =>
      tag !== null &&
      typeof tag === 'object' &&
      !Array.isArray(tag) &&
      !(tag instanceof KnownAfterApply)
        ? tag['Key']
        : undefined,
    ),
  );
  const inherited = stackTags
    .filter((tag) => !ownKeys.has(tag.Key))
    .map((tag) => ({ Key: tag.Key, Value: tag.Value }));
  return { ...props, Tags: [...inherited, ...ownTags] };
}

/** A resource's properties as the provider receives them. */
export function resolveProperties(
  scope: ResolveScope,
  decl: ResourceDeclaration,
  provider: ResourceProvider | undefined,
  stackTags: readonly CfnTag[],
): PlannedProperties {
  const resolved = resolveValue(decl.Properties, scope);
  const props =
    resolved === NO_VALUE ||
    resolved === null ||
    typeof resolved !== 'object' ||
    Array.isArray(resolved)
      ? {}
      : (resolved as PlannedProperties);
  return provider?.taggable === true ? withStackTags(props, stackTags) : props;
}

function outputString(
  value: Resolved | typeof NO_VALUE,
  key: string,
  field: string,
): string | KnownAfterApply {
  if (value instanceof KnownAfterApply) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw templateFormatError(`The ${field} field of output ${key} must evaluate to a String`);
}

/** A resolved output, or an unknown one when planning. */
export type PlannedOutput = Omit<StackOutput, 'value' | 'exportName'> & {
  value: string | KnownAfterApply;
  exportName?: string | KnownAfterApply;
};

/** The outputs whose conditions hold, resolved. */
export function resolveOutputs(scope: ResolveScope, template: Template): PlannedOutput[] {
  const outputs: PlannedOutput[] = [];
  for (const [key, decl] of Object.entries(template.Outputs)) {
    if (decl.Condition !== undefined && !scope.condition(decl.Condition)) continue;
    const output: PlannedOutput = {
      key,
      value: outputString(resolveValue(decl.Value, scope), key, 'Value'),
    };
    if (decl.Description !== undefined) {
      const description = outputString(resolveValue(decl.Description, scope), key, 'Description');
      if (typeof description === 'string') output.description = description;
    }
    if (decl.ExportName !== undefined) {
      output.exportName = outputString(resolveValue(decl.ExportName, scope), key, 'Export Name');
    }
    outputs.push(output);
  }
  return outputs;
}

/** Outputs with every value known (what a finished operation stores). */
export function knownOutputs(outputs: readonly PlannedOutput[]): StackOutput[] {
  return outputs.map((output) => {
    if (
      hasUnknown(output.value) ||
      (output.exportName !== undefined && hasUnknown(output.exportName))
    ) {
      throw templateFormatError(`Output ${output.key} could not be resolved`);
    }
    return {
      key: output.key,
      value: output.value as string,
      ...(output.description !== undefined ? { description: output.description } : {}),
      ...(output.exportName !== undefined ? { exportName: output.exportName as string } : {}),
    };
  });
}
