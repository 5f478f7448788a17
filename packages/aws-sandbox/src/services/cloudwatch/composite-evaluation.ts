// Composite alarms follow their children: whenever a referenced alarm's state changed since the
// rule last looked, the rule is evaluated again; the alarm goes to ALARM or OK when its result
// differs, with the reason naming the children that caused it.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { evaluateRule, parseAlarmRule, ruleReferences } from './alarm-rule.js';
import { changeAlarmState } from './alarm-transition.js';
import {
  alarmArn,
  type AlarmRecord,
  type AlarmStateValue,
  type CloudWatchState,
  type CompositeAlarmRecord,
} from './cloudwatch-state.js';
import { javaTimestamp, longDate } from './reason-format.js';

/** The alarm name a rule reference means: the name itself, or the name in a same-region ARN. */
export function referencedName(
  reference: string,
  where: { accountId: string; region: string },
): string | undefined {
  if (!reference.startsWith('arn:')) return reference;
  const prefix = `${alarmArn(where.region, where.accountId, '')}`;
  return reference.startsWith(prefix) ? reference.slice(prefix.length) : undefined;
}

/** The children of a composite alarm that exist, by name. */
export function childrenOf(
  alarm: CompositeAlarmRecord,
  alarms: Record<string, AlarmRecord>,
  where: { accountId: string; region: string },
): AlarmRecord[] {
  return ruleReferences(parseAlarmRule(alarm.AlarmRule))
    .map((reference) => referencedName(reference, where))
    .flatMap((name) => {
      const child = name !== undefined ? alarms[name] : undefined;
      return child ? [child] : [];
    });
}

/** What the rule sees of the children: their states and when they changed. */
function childrenSignature(children: readonly AlarmRecord[]): string {
  return JSON.stringify(
    children.map((child) => [child.AlarmName, child.StateValue, child.StateTransitionedTimestamp]),
  );
}

/**
 * Marks the children's current states as seen, so the composite keeps its state until one of them
 * changes (SetAlarmState on a composite).
 */
export function holdComposite(
  alarm: CompositeAlarmRecord,
  alarms: Record<string, AlarmRecord>,
  where: { accountId: string; region: string },
): void {
  alarm.childrenSeen = childrenSignature(childrenOf(alarm, alarms, where));
}

/** The reason and reason data of a composite's new state, from the children that caused it. */
function compositeReason(
  value: AlarmStateValue,
  children: readonly AlarmRecord[],
): { reason: string; reasonData: string } {
  const latestFirst = [...children].sort((a, b) =>
    b.StateTransitionedTimestamp.localeCompare(a.StateTransitionedTimestamp),
  );
  const triggering =
    value === 'ALARM'
      ? latestFirst.filter((child) => child.StateValue === 'ALARM')
      : latestFirst.slice(0, 1);
  const first = triggering[0];
  const reason = first
    ? `${first.AlarmArn} transitioned to ${first.StateValue} at ${longDate(first.StateTransitionedTimestamp)}`
    : `The alarm rule evaluated to ${value === 'ALARM' ? 'TRUE' : 'FALSE'}`;
  const reasonData = JSON.stringify({
    triggeringAlarms: triggering.map((child) => ({
      arn: child.AlarmArn,
      state: {
        value: child.StateValue,
        timestamp: javaTimestamp(child.StateTransitionedTimestamp),
      },
    })),
  });
  return { reason, reasonData };
}

/**
 * Re-evaluates every composite alarm of a region whose children changed, until nothing changes
 * (a composite may watch another composite).
 */
export async function evaluateComposites(
  runtime: SandboxRuntime,
  where: { accountId: string; region: string },
  state: CloudWatchState,
): Promise<void> {
  const composites = Object.values(state.alarms).filter(
    (alarm): alarm is CompositeAlarmRecord => alarm.type === 'CompositeAlarm',
  );
  for (let round = 0; round <= composites.length; round += 1) {
    let changed = false;
    for (const alarm of composites) {
      if (state.alarms[alarm.AlarmName] !== alarm) continue;
      const children = childrenOf(alarm, state.alarms, where);
      const signature = childrenSignature(children);
      if (alarm.childrenSeen === signature) continue;
      alarm.childrenSeen = signature;
      alarm.sandbox.evaluatedAt = runtime.clock.now().toISOString();
      const result = evaluateRule(parseAlarmRule(alarm.AlarmRule), (reference) => {
        const name = referencedName(reference, where);
        return name !== undefined ? state.alarms[name]?.StateValue : undefined;
      });
      const value: AlarmStateValue = result ? 'ALARM' : 'OK';
      if (value === alarm.StateValue) continue;
      await changeAlarmState(runtime, where, state, alarm, {
        value,
        ...compositeReason(value, children),
      });
      changed = true;
    }
    if (!changed) return;
  }
}
