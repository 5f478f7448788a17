// AWS::CloudWatch::Alarm: a metric alarm. Every update writes the whole configuration again with
// PutMetricAlarm (which replaces it and keeps the alarm's state); a new AlarmName replaces it.
import type { InputValue } from '../../../framework/input.js';
import {
  optBoolean,
  optInteger,
  optString,
  sameValue,
  stringList,
  tagsOf,
} from './property-readers.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

/** Properties passed through as they are (strings, integers, booleans). */
const STRINGS = [
  'AlarmDescription',
  'ComparisonOperator',
  'EvaluateLowSampleCountPercentile',
  'ExtendedStatistic',
  'MetricName',
  'Namespace',
  'Statistic',
  'ThresholdMetricId',
  'TreatMissingData',
  'Unit',
] as const;
const INTEGERS = ['DatapointsToAlarm', 'EvaluationPeriods', 'Period'] as const;
const LISTS = ['AlarmActions', 'InsufficientDataActions', 'OKActions'] as const;

/** A JSON-like property (Dimensions, Metrics) as service input; refuses non-lists. */
function structureList(props: ResourceProperties, name: string): InputValue[] | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new PropertiesValidationError(
      `#/${name}: expected type: JSONArray, found: ${typeof value}`,
    );
  }
  return JSON.parse(JSON.stringify(value)) as InputValue[];
}

function threshold(props: ResourceProperties): number | undefined {
  const value = props['Threshold'];
  if (value === undefined || value === null) return undefined;
  const num = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(num)) {
    throw new PropertiesValidationError('#/Threshold: expected type: Number, found: String');
  }
  return num;
}

/** PutMetricAlarm's input for the properties. */
function alarmInput(name: string, props: ResourceProperties): Record<string, InputValue> {
  const input: Record<string, InputValue> = { AlarmName: name };
  for (const key of STRINGS) {
    const value = optString(props, key);
    if (value !== undefined) input[key] = value;
  }
  for (const key of INTEGERS) {
    const value = optInteger(props, key);
    if (value !== undefined) input[key] = value;
  }
  for (const key of LISTS) {
    const value = stringList(props, key);
    if (value.length > 0) input[key] = value;
  }
  const enabled = optBoolean(props, 'ActionsEnabled');
  if (enabled !== undefined) input['ActionsEnabled'] = enabled;
  const limit = threshold(props);
  if (limit !== undefined) input['Threshold'] = limit;
  for (const key of ['Dimensions', 'Metrics']) {
    const value = structureList(props, key);
    if (value !== undefined) input[key] = value;
  }
  return input;
}

function arnOf(ctx: ProviderContext, name: string): string {
  return `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`;
}

/** The provider. */
export const cloudWatchAlarmProvider: ResourceProvider = {
  type: 'AWS::CloudWatch::Alarm',
  replaceOn: ['AlarmName'],
  attributes: ['Arn'],
  taggable: true,
  async create(ctx, props) {
    const name = optString(props, 'AlarmName') ?? ctx.physicalName({ maxLength: 255 });
    const input = alarmInput(name, props);
    const tags = tagsOf(props);
    if (tags.length > 0) input['Tags'] = tags.map((tag) => ({ ...tag }));
    await ctx.call('monitoring', 'PutMetricAlarm', input);
    return { physicalId: name, attributes: { Arn: arnOf(ctx, name) } };
  },
  async update(ctx, { physicalId: name, previous, props, attributes }) {
    await ctx.call('monitoring', 'PutMetricAlarm', alarmInput(name, props));
    if (!sameValue(previous['Tags'], props['Tags'])) {
      const arn = arnOf(ctx, name);
      const after = tagsOf(props);
      const removed = tagsOf(previous)
        .map((tag) => tag.Key)
        .filter((key) => !after.some((tag) => tag.Key === key));
      if (removed.length > 0) {
        await ctx.call('monitoring', 'UntagResource', { ResourceARN: arn, TagKeys: removed });
      }
      if (after.length > 0) {
        await ctx.call('monitoring', 'TagResource', {
          ResourceARN: arn,
          Tags: after.map((tag) => ({ ...tag })),
        });
      }
    }
    return { physicalId: name, attributes };
  },
  async delete(ctx, { physicalId }) {
    // DeleteAlarms ignores alarms that are already gone.
    await ignoringNotFound(() =>
      ctx.call('monitoring', 'DeleteAlarms', { AlarmNames: [physicalId] }),
    );
  },
};
