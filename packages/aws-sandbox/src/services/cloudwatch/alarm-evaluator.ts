// Alarm evaluation on the sandbox clock, run by every tick: each metric alarm evaluates once per
// evaluation interval (a minute, or its period when shorter, as CloudWatch does), over the most
// recent complete periods; composite alarms follow. A state set by SetAlarmState therefore holds
// until the next interval's evaluation.
import type { BackgroundContext } from '../../framework/background.js';
import type { SandboxRuntime } from '../../framework/runtime.js';
import {
  EVALUATION_RANGE_EXTRA,
  evaluateRange,
  type Comparison,
  type EvaluationRequest,
  type MissingDataTreatment,
  type RangeSlot,
} from './alarm-evaluation.js';
import { stateReason, stateReasonData } from './alarm-reason.js';
import { changeAlarmState, type NewState } from './alarm-transition.js';
import { SERVICE, type CloudWatchState, type MetricAlarmRecord } from './cloudwatch-state.js';
import { evaluateComposites } from './composite-evaluation.js';
import { runQueries, queryPeriod } from './metric-queries.js';
import { metricReader, type MetricReader } from './metric-source.js';
import { aggregateByPeriod, periodStart, statisticOf } from './metric-statistics.js';

/** The alarm's period in seconds. */
export function alarmPeriod(alarm: MetricAlarmRecord): number {
  if (alarm.Period !== undefined) return alarm.Period;
  const metrics = alarm.Metrics ?? [];
  const returning = metrics.find((query) => query.ReturnData !== false);
  return returning ? queryPeriod(returning, metrics) : 60;
}

/** Whether the alarm's next evaluation is due: a new evaluation interval began since the last. */
export function isDue(alarm: MetricAlarmRecord, now: number): boolean {
  if (alarm.sandbox.evaluatedAt === undefined) return true;
  const interval = Math.min(alarmPeriod(alarm), 60) * 1000;
  return Math.floor(now / interval) > Math.floor(Date.parse(alarm.sandbox.evaluatedAt) / interval);
}

/** The evaluation range: one slot per complete period, most recent first. */
export function evaluationRange(
  alarm: MetricAlarmRecord,
  reader: MetricReader,
  now: number,
): RangeSlot[] {
  const period = alarmPeriod(alarm);
  const length = period * 1000;
  const end = periodStart(now, period);
  const slots = alarm.EvaluationPeriods + EVALUATION_RANGE_EXTRA;
  const start = end - slots * length;
  const values = new Map<number, { value: number; sampleCount?: number }>();
  if (alarm.Metrics) {
    const results = runQueries(reader, alarm.Metrics, start, end);
    const returning = alarm.Metrics.find((query) => query.ReturnData !== false);
    const result = returning ? results.get(returning.Id) : undefined;
    for (const [time, value] of result?.series ?? []) {
      const sampleCount = result?.sampleCounts?.get(time);
      values.set(time, { value, ...(sampleCount !== undefined ? { sampleCount } : {}) });
    }
  } else {
    const metric = {
      Namespace: alarm.Namespace ?? '',
      MetricName: alarm.MetricName ?? '',
      Dimensions: alarm.Dimensions ?? [],
    };
    const stat = alarm.Statistic ?? alarm.ExtendedStatistic ?? 'Average';
    for (const aggregate of aggregateByPeriod(
      reader(metric, start, end),
      period,
      alarm.Unit,
    ).values()) {
      const value = statisticOf(aggregate, stat);
      if (value !== undefined)
        values.set(aggregate.start, { value, sampleCount: aggregate.sampleCount });
    }
  }
  return Array.from({ length: slots }, (_, index) => {
    const slotStart = end - (index + 1) * length;
    return { start: slotStart, ...values.get(slotStart) };
  });
}

/** The state an evaluation moves the alarm to, or undefined when it stays. */
export function nextMetricAlarmState(
  alarm: MetricAlarmRecord,
  reader: MetricReader,
  now: number,
): NewState | undefined {
  const request: EvaluationRequest = {
    range: evaluationRange(alarm, reader, now),
    evaluationPeriods: alarm.EvaluationPeriods,
    datapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods,
    threshold: alarm.Threshold ?? 0,
    comparison: alarm.ComparisonOperator as Comparison,
    treatMissingData: (alarm.TreatMissingData ?? 'missing') as MissingDataTreatment,
  };
  const outcome = evaluateRange(request);
  if (outcome.kind === 'retain' || outcome.state === alarm.StateValue) return undefined;
  const statistic = alarm.Statistic ?? alarm.ExtendedStatistic;
  return {
    value: outcome.state,
    reason: stateReason(outcome, request, alarm.StateValue),
    reasonData: stateReasonData(outcome, request, {
      now,
      period: alarmPeriod(alarm),
      ...(statistic !== undefined ? { statistic } : {}),
      ...(alarm.Unit !== undefined ? { unit: alarm.Unit } : {}),
    }),
  };
}

/** Evaluates the due metric alarms of one account and region, then its composite alarms. */
export async function evaluateRegion(
  runtime: SandboxRuntime,
  where: { accountId: string; region: string },
  state: CloudWatchState,
): Promise<void> {
  const now = runtime.clock.now().getTime();
  const reader = metricReader(runtime, state, where);
  for (const alarm of Object.values(state.alarms)) {
    // Requests run while events are delivered: skip alarms deleted or replaced meanwhile.
    if (state.alarms[alarm.AlarmName] !== alarm) continue;
    if (alarm.type !== 'MetricAlarm' || !isDue(alarm, now)) continue;
    alarm.sandbox.evaluatedAt = new Date(now).toISOString();
    const next = nextMetricAlarmState(alarm, reader, now);
    if (next) await changeAlarmState(runtime, where, state, alarm, next);
  }
  await evaluateComposites(runtime, where, state);
}

/** The tick hook: every account and region holding CloudWatch state. */
export async function evaluateAllAlarms(ctx: BackgroundContext): Promise<void> {
  for (const accountId of ctx.accountIds()) {
    for (const region of ctx.regionsOf(SERVICE, accountId)) {
      const state = ctx.peekState<CloudWatchState>(SERVICE, accountId, region);
      if (state) await evaluateRegion(ctx.runtime, { accountId, region }, state);
    }
  }
}
