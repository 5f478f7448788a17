// AWS::Events::Rule: a rule on the default bus with inline Targets. EventPattern may be an object
// (as templates usually write it) or JSON text. Ref is the rule name; Arn is an attribute.
import type { InputValue } from '../../../framework/input.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import { optString, outputString } from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

function eventPattern(props: ResourceProperties): string | undefined {
  const value = props['EventPattern'];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  throw new PropertiesValidationError('#/EventPattern: expected type: JSONObject');
}

function targets(props: ResourceProperties): Record<string, InputValue>[] {
  const value = props['Targets'];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new PropertiesValidationError('#/Targets: expected type: JSONArray');
  return value.map((target: unknown, index) => {
    if (target === null || typeof target !== 'object' || Array.isArray(target)) {
      throw new PropertiesValidationError(`#/Targets/${index}: expected type: JSONObject`);
    }
    const id = (target as { Id?: unknown }).Id;
    if (typeof id !== 'string') {
      throw new PropertiesValidationError(`#/Targets/${index}: required key [Id] not found`);
    }
    return JSON.parse(JSON.stringify(target)) as Record<string, InputValue>;
  });
}

function ruleInput(name: string, props: ResourceProperties): Record<string, InputValue> {
  const input: Record<string, InputValue> = {
    Name: name,
    State: optString(props, 'State') ?? 'ENABLED',
  };
  const optional = {
    EventPattern: eventPattern(props),
    ScheduleExpression: optString(props, 'ScheduleExpression'),
    Description: optString(props, 'Description'),
    RoleArn: optString(props, 'RoleArn'),
    EventBusName: optString(props, 'EventBusName'),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) input[key] = value;
  return input;
}

async function putTargets(
  ctx: ProviderContext,
  name: string,
  list: Record<string, InputValue>[],
): Promise<void> {
  // PutTargets takes at most 10 targets per call.
  for (let i = 0; i < list.length; i += 10) {
    await ctx.call('events', 'PutTargets', { Rule: name, Targets: list.slice(i, i + 10) });
  }
}

/** The provider. */
export const eventsRuleProvider: ResourceProvider = {
  type: 'AWS::Events::Rule',
  replaceOn: ['Name', 'EventBusName'],
  attributes: ['Arn'],
  async create(ctx, props) {
    const name = optString(props, 'Name') ?? ctx.physicalName({ maxLength: 64 });
    const wanted = targets(props);
    const output = await ctx.call('events', 'PutRule', ruleInput(name, props));
    try {
      await putTargets(ctx, name, wanted);
    } catch (error: unknown) {
      await ctx.call('events', 'DeleteRule', { Name: name }).catch(() => undefined);
      throw error;
    }
    return { physicalId: name, attributes: { Arn: outputString(output, 'RuleArn') ?? '' } };
  },
  async update(ctx, { physicalId: name, previous, props, attributes }) {
    const wanted = targets(props);
    await ctx.call('events', 'PutRule', ruleInput(name, props));
    const removed = targets(previous)
      .map((target) => target['Id'] as string)
      .filter((id) => !wanted.some((target) => target['Id'] === id));
    if (removed.length > 0) await ctx.call('events', 'RemoveTargets', { Rule: name, Ids: removed });
    await putTargets(ctx, name, wanted);
    return { physicalId: name, attributes };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(async () => {
      // A rule with targets cannot be deleted: remove every target, template-declared or not.
      const listed = await ctx.call('events', 'ListTargetsByRule', { Rule: physicalId });
      const ids = ((listed as { Targets?: { Id: string }[] }).Targets ?? []).map((t) => t.Id);
      if (ids.length > 0) await ctx.call('events', 'RemoveTargets', { Rule: physicalId, Ids: ids });
      await ctx.call('events', 'DeleteRule', { Name: physicalId });
    });
  },
};
