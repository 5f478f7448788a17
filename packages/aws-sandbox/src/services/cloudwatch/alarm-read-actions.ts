// DescribeAlarms, DescribeAlarmsForMetric and DescribeAlarmHistory.
import { paginate } from '../../framework/pagination.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { alarmTarget, everyAlarmArn } from './alarm-access.js';
import { parseAlarmRule, ruleReferences } from './alarm-rule.js';
import { renderAlarmLists } from './alarm-render.js';
import {
  invalidNextToken,
  invalidParameterCombination,
  validationError,
} from './cloudwatch-errors.js';
import {
  checkLength,
  dimensionsParam,
  enumValue,
  intInRange,
  requiredString,
  SIMPLE_STATISTICS,
  timestampParam,
  UNITS,
} from './cloudwatch-input.js';
import {
  ALARM_STATES,
  cloudWatchState,
  metricKey,
  type AlarmRecord,
  type MetricAlarmRecord,
} from './cloudwatch-state.js';
import { childrenOf, referencedName } from './composite-evaluation.js';

const ALARM_TYPES = ['CompositeAlarm', 'MetricAlarm'] as const;

const byName = (a: AlarmRecord, b: AlarmRecord): number =>
  a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0;

/** `AlarmTypes` (absent: metric alarms only, as CloudWatch defaults). */
function alarmTypes(ctx: ActionContext): string[] {
  const types = ctx.input.strList('AlarmTypes');
  for (const type of types) {
    if (!(ALARM_TYPES as readonly string[]).includes(type)) {
      throw validationError(
        `1 validation error detected: Value '[${types.join(', ')}]' at 'alarmTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${ALARM_TYPES.join(', ')}]]`,
      );
    }
  }
  return types.length > 0 ? types : ['MetricAlarm'];
}

/** The alarms DescribeAlarms selects, sorted by name. */
function selectAlarms(ctx: ActionContext): AlarmRecord[] {
  const input = ctx.input;
  const state = cloudWatchState(ctx);
  const where = { accountId: ctx.accountId, region: ctx.region };
  const all = Object.values(state.alarms).sort(byName);
  const children = input.str('ChildrenOfAlarmName');
  const parents = input.str('ParentsOfAlarmName');
  if (children !== undefined || parents !== undefined) {
    const others = ['AlarmNames', 'AlarmNamePrefix', 'AlarmTypes', 'StateValue', 'ActionPrefix'];
    if (
      (children !== undefined && parents !== undefined) ||
      others.some((name) => input.has(name))
    ) {
      throw invalidParameterCombination(
        'ChildrenOfAlarmName and ParentsOfAlarmName cannot be used with any other parameter but MaxRecords and NextToken.',
      );
    }
    if (children !== undefined) {
      const composite = state.alarms[children];
      return composite?.type === 'CompositeAlarm'
        ? childrenOf(composite, state.alarms, where).sort(byName)
        : [];
    }
    return all.filter(
      (alarm) =>
        alarm.type === 'CompositeAlarm' &&
        ruleReferences(parseAlarmRule(alarm.AlarmRule)).some(
          (reference) => referencedName(reference, where) === parents,
        ),
    );
  }
  const names = input.strList('AlarmNames');
  const prefix = input.str('AlarmNamePrefix');
  if (names.length > 0 && prefix !== undefined) {
    throw invalidParameterCombination('AlarmNames and AlarmNamePrefix cannot be used together.');
  }
  if (names.length > 100) {
    throw invalidParameterCombination('AlarmNames may name at most 100 alarms.');
  }
  checkLength('AlarmNamePrefix', prefix, 1, 255);
  const types = alarmTypes(ctx);
  const stateValue = enumValue(input, 'StateValue', ALARM_STATES);
  const actionPrefix = input.str('ActionPrefix');
  checkLength('ActionPrefix', actionPrefix, 1, 1024);
  return all.filter(
    (alarm) =>
      types.includes(alarm.type) &&
      (names.length === 0 || names.includes(alarm.AlarmName)) &&
      (prefix === undefined || alarm.AlarmName.startsWith(prefix)) &&
      (stateValue === undefined || alarm.StateValue === stateValue) &&
      (actionPrefix === undefined ||
        [...alarm.OKActions, ...alarm.AlarmActions, ...alarm.InsufficientDataActions].some(
          (action) => action.startsWith(actionPrefix),
        )),
  );
}

/** Whether a metric alarm watches the metric DescribeAlarmsForMetric names. */
function watches(alarm: MetricAlarmRecord, ctx: ActionContext): boolean {
  const input = ctx.input;
  const wanted = metricKey({
    Namespace: requiredString(input, 'Namespace'),
    MetricName: requiredString(input, 'MetricName'),
    Dimensions: dimensionsParam(input),
  });
  const statistic = input.str('Statistic');
  const extended = input.str('ExtendedStatistic');
  const period = input.int('Period');
  const unit = input.str('Unit');
  const candidates = alarm.Metrics?.flatMap((query) =>
    query.MetricStat
      ? [
          {
            metric: query.MetricStat.Metric,
            stat: query.MetricStat.Stat,
            period: query.MetricStat.Period,
            unit: query.MetricStat.Unit,
          },
        ]
      : [],
  ) ?? [
    {
      metric: {
        Namespace: alarm.Namespace ?? '',
        MetricName: alarm.MetricName ?? '',
        Dimensions: alarm.Dimensions ?? [],
      },
      stat: alarm.Statistic ?? alarm.ExtendedStatistic,
      period: alarm.Period,
      unit: alarm.Unit,
    },
  ];
  return candidates.some(
    (candidate) =>
      metricKey(candidate.metric) === wanted &&
      (statistic === undefined || candidate.stat === statistic) &&
      (extended === undefined || candidate.stat === extended) &&
      (period === undefined || candidate.period === period) &&
      (unit === undefined || candidate.unit === unit),
  );
}

const HISTORY_TYPES = [
  'ConfigurationUpdate',
  'StateUpdate',
  'Action',
  'AlarmContributorStateUpdate',
  'AlarmContributorAction',
] as const;

/** The actions that read alarms and their history. */
export const alarmReadActions: Record<string, ActionDefinition> = {
  DescribeAlarms: {
    resources: (ctx) => [everyAlarmArn(ctx)],
    handler: (ctx) => {
      const max = intInRange(ctx.input, 'MaxRecords', 1, 100) ?? 50;
      const { page, nextToken } = paginate(
        selectAlarms(ctx),
        ctx.input.str('NextToken'),
        max,
        invalidNextToken,
      );
      return {
        ...renderAlarmLists(page),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      };
    },
  },
  DescribeAlarmsForMetric: {
    validate: (ctx) => {
      requiredString(ctx.input, 'MetricName');
      requiredString(ctx.input, 'Namespace');
      dimensionsParam(ctx.input);
      enumValue(ctx.input, 'Statistic', SIMPLE_STATISTICS);
      enumValue(ctx.input, 'Unit', UNITS);
    },
    handler: (ctx) => {
      const alarms = Object.values(cloudWatchState(ctx).alarms)
        .filter((alarm): alarm is MetricAlarmRecord => alarm.type === 'MetricAlarm')
        .filter((alarm) => watches(alarm, ctx))
        .sort(byName);
      return { MetricAlarms: renderAlarmLists(alarms).MetricAlarms };
    },
  },
  DescribeAlarmHistory: {
    validate: (ctx) => {
      checkLength('AlarmName', ctx.input.str('AlarmName'), 1, 255);
    },
    resources: (ctx) => {
      const name = ctx.input.str('AlarmName');
      return [name !== undefined ? alarmTarget(ctx, name) : everyAlarmArn(ctx)];
    },
    handler: (ctx) => {
      const input = ctx.input;
      const name = input.str('AlarmName');
      const types = alarmTypes(ctx);
      const itemType = enumValue(input, 'HistoryItemType', HISTORY_TYPES);
      const start = timestampParam(input, 'StartDate')?.getTime();
      const end = timestampParam(input, 'EndDate')?.getTime();
      const scanBy = enumValue(input, 'ScanBy', ['TimestampDescending', 'TimestampAscending']);
      const max = intInRange(input, 'MaxRecords', 1, 100) ?? 100;
      const items = cloudWatchState(ctx).history.filter((item) => {
        const time = Date.parse(item.Timestamp);
        return (
          (name === undefined || item.AlarmName === name) &&
          types.includes(item.AlarmType) &&
          (itemType === undefined || item.HistoryItemType === itemType) &&
          (start === undefined || time >= start) &&
          (end === undefined || time <= end)
        );
      });
      if (scanBy !== 'TimestampAscending') items.reverse();
      const { page, nextToken } = paginate(items, input.str('NextToken'), max, invalidNextToken);
      return {
        AlarmHistoryItems: page.map((item) => ({ ...item, Timestamp: new Date(item.Timestamp) })),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      };
    },
  },
};
