// PutMetricAlarm, PutCompositeAlarm, DeleteAlarms, EnableAlarmActions, DisableAlarmActions.
import { randomUUID } from 'node:crypto';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { alarmTarget, requestTagContext } from './alarm-access.js';
import {
  alarmNameParam,
  allActions,
  commonAlarmInput,
  compositeAlarmConfig,
  metricAlarmConfig,
  type AlarmCommonInput,
} from './alarm-definition.js';
import { configurationUpdateItem, recordHistory } from './alarm-history.js';
import { invalidParameterValue, missingParameter, validationError } from './cloudwatch-errors.js';
import {
  alarmArn,
  cloudWatchState,
  type AlarmRecord,
  type CloudWatchState,
  type CompositeAlarmRecord,
  type MetricAlarmRecord,
} from './cloudwatch-state.js';
import { childrenOf, referencedName } from './composite-evaluation.js';

const INITIAL_REASON = 'Unchecked: Initial alarm creation';

/** The fields an alarm keeps or starts with: state, tags, identity. */
function baseFields(
  ctx: ActionContext,
  common: AlarmCommonInput,
  existing: AlarmRecord | undefined,
) {
  const now = ctx.clock.now().toISOString();
  return {
    AlarmName: common.AlarmName,
    AlarmArn: alarmArn(ctx.region, ctx.accountId, common.AlarmName),
    ...(common.AlarmDescription !== undefined ? { AlarmDescription: common.AlarmDescription } : {}),
    ActionsEnabled: common.ActionsEnabled,
    OKActions: common.OKActions,
    AlarmActions: common.AlarmActions,
    InsufficientDataActions: common.InsufficientDataActions,
    AlarmConfigurationUpdatedTimestamp: now,
    // An update leaves the state as it is (CloudWatch re-evaluates with the new configuration).
    StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: existing?.StateReason ?? INITIAL_REASON,
    ...(existing?.StateReasonData !== undefined
      ? { StateReasonData: existing.StateReasonData }
      : {}),
    StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
    StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now,
    // Tags only apply when the alarm is created; updates go through TagResource.
    sandbox: { tags: existing ? existing.sandbox.tags : common.tags },
  };
}

function saveAlarm(
  ctx: ActionContext,
  state: CloudWatchState,
  record: AlarmRecord,
  existing?: AlarmRecord,
): void {
  state.alarms[record.AlarmName] = record;
  const now = ctx.clock.now();
  recordHistory(
    state,
    configurationUpdateItem(existing ? 'Update' : 'Create', record, now, existing),
    now,
  );
}

function alarmContext(ctx: ActionContext): Record<string, string | string[]> {
  const actions = allActions(ctx.input);
  return {
    ...requestTagContext(ctx.input.tags()),
    ...(actions.length > 0 ? { 'cloudwatch:AlarmActions': actions } : {}),
  };
}

/** The names in `AlarmNames` (required, at most 100). */
function alarmNames(ctx: ActionContext): string[] {
  const names = ctx.input.strList('AlarmNames');
  if (names.length === 0) throw missingParameter('AlarmNames');
  if (names.length > 100) {
    throw validationError(
      "1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100",
    );
  }
  return names;
}

/** Whether `target` is reachable from `from` through composite rules (a cycle if so). */
function reaches(
  state: CloudWatchState,
  where: { accountId: string; region: string },
  from: string,
  target: string,
): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (name === target) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const alarm = state.alarms[name];
    if (alarm?.type === 'CompositeAlarm') {
      for (const child of childrenOf(alarm, state.alarms, where)) stack.push(child.AlarmName);
    }
  }
  return false;
}

/** The actions that create, change and delete alarms. */
export const alarmWriteActions: Record<string, ActionDefinition> = {
  PutMetricAlarm: {
    validate: (ctx) => {
      commonAlarmInput(ctx.input);
      metricAlarmConfig(ctx.input);
    },
    resources: (ctx) => [alarmTarget(ctx, alarmNameParam(ctx.input))],
    context: alarmContext,
    handler: (ctx) => {
      const common = commonAlarmInput(ctx.input);
      const config = metricAlarmConfig(ctx.input);
      const state = cloudWatchState(ctx);
      const existing = state.alarms[common.AlarmName];
      if (existing?.type === 'CompositeAlarm') {
        throw invalidParameterValue(
          `The alarm ${common.AlarmName} is a composite alarm: PutMetricAlarm cannot replace it.`,
        );
      }
      const record: MetricAlarmRecord = {
        type: 'MetricAlarm',
        ...baseFields(ctx, common, existing),
        ...config,
        eventMetricId: existing?.eventMetricId ?? randomUUID(),
      };
      saveAlarm(ctx, state, record, existing);
      return undefined;
    },
  },
  PutCompositeAlarm: {
    validate: (ctx) => {
      commonAlarmInput(ctx.input);
      compositeAlarmConfig(ctx.input);
    },
    resources: (ctx) => [alarmTarget(ctx, alarmNameParam(ctx.input))],
    context: alarmContext,
    handler: (ctx) => {
      const common = commonAlarmInput(ctx.input);
      const { references, ...config } = compositeAlarmConfig(ctx.input);
      const state = cloudWatchState(ctx);
      const where = { accountId: ctx.accountId, region: ctx.region };
      const existing = state.alarms[common.AlarmName];
      if (existing?.type === 'MetricAlarm') {
        throw invalidParameterValue(
          `The alarm ${common.AlarmName} is a metric alarm: PutCompositeAlarm cannot replace it.`,
        );
      }
      const missing = references.filter((reference) => {
        const name = referencedName(reference, where);
        return name === undefined || state.alarms[name] === undefined;
      });
      if (missing.length > 0) {
        throw invalidParameterValue(
          `Could not save the composite alarm as alarms [${missing.join(', ')}] in the alarm rule do not exist`,
        );
      }
      for (const reference of references) {
        const name = referencedName(reference, where) ?? '';
        if (reaches(state, where, name, common.AlarmName)) {
          throw invalidParameterValue(
            `The alarm rule of ${common.AlarmName} creates a cycle through ${name}.`,
          );
        }
      }
      const record: CompositeAlarmRecord = {
        type: 'CompositeAlarm',
        ...baseFields(ctx, common, existing),
        ...config,
      };
      saveAlarm(ctx, state, record, existing);
      return undefined;
    },
  },
  DeleteAlarms: {
    validate: (ctx) => {
      alarmNames(ctx);
    },
    resources: (ctx) => alarmNames(ctx).map((name) => alarmTarget(ctx, name)),
    handler: (ctx) => {
      const names = new Set(alarmNames(ctx));
      const state = cloudWatchState(ctx);
      const where = { accountId: ctx.accountId, region: ctx.region };
      const depended = [...names].filter((name) =>
        Object.values(state.alarms).some(
          (alarm) =>
            alarm.type === 'CompositeAlarm' &&
            !names.has(alarm.AlarmName) &&
            childrenOf(alarm, state.alarms, where).some((child) => child.AlarmName === name),
        ),
      );
      if (depended.length > 0) {
        throw validationError(
          `Cannot delete ${depended.join(',')} as there are composite alarm(s) depending on ${depended.length === 1 ? 'it' : 'them'}.`,
        );
      }
      // Names that do not exist are ignored, as CloudWatch ignores them.
      const now = ctx.clock.now();
      for (const name of names) {
        const alarm = state.alarms[name];
        if (!alarm) continue;
        delete state.alarms[name];
        recordHistory(state, configurationUpdateItem('Delete', alarm, now), now);
      }
      return undefined;
    },
  },
  EnableAlarmActions: {
    validate: (ctx) => {
      alarmNames(ctx);
    },
    resources: (ctx) => alarmNames(ctx).map((name) => alarmTarget(ctx, name)),
    handler: (ctx) => {
      const state = cloudWatchState(ctx);
      for (const name of alarmNames(ctx)) {
        const alarm = state.alarms[name];
        if (alarm) alarm.ActionsEnabled = true;
      }
      return undefined;
    },
  },
  DisableAlarmActions: {
    validate: (ctx) => {
      alarmNames(ctx);
    },
    resources: (ctx) => alarmNames(ctx).map((name) => alarmTarget(ctx, name)),
    handler: (ctx) => {
      const state = cloudWatchState(ctx);
      for (const name of alarmNames(ctx)) {
        const alarm = state.alarms[name];
        if (alarm) alarm.ActionsEnabled = false;
      }
      return undefined;
    },
  },
};
