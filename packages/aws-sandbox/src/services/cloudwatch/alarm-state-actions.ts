// SetAlarmState: the alarm takes the state at once and its event is published before the call
// returns; the next evaluation (a metric alarm's next interval, a composite's next child change)
// may change it again, as in CloudWatch.
import type { ActionDefinition } from '../../framework/service.js';
import { alarmTarget } from './alarm-access.js';
import { alarmNameParam } from './alarm-definition.js';
import { changeAlarmState } from './alarm-transition.js';
import { alarmNotFound, invalidFormat } from './cloudwatch-errors.js';
import { checkLength, enumValue, requiredString } from './cloudwatch-input.js';
import { ALARM_STATES, cloudWatchState } from './cloudwatch-state.js';
import { evaluateComposites, holdComposite } from './composite-evaluation.js';

/** SetAlarmState. */
export const alarmStateActions: Record<string, ActionDefinition> = {
  SetAlarmState: {
    validate: (ctx) => {
      alarmNameParam(ctx.input);
      requiredString(ctx.input, 'StateValue');
      enumValue(ctx.input, 'StateValue', ALARM_STATES);
      const reason = ctx.input.str('StateReason');
      if (reason === undefined) requiredString(ctx.input, 'StateReason');
      checkLength('StateReason', reason, 0, 1023);
      const data = ctx.input.str('StateReasonData');
      checkLength('StateReasonData', data, 0, 4000);
      if (data !== undefined) {
        try {
          JSON.parse(data);
        } catch {
          throw invalidFormat('The value of StateReasonData is not valid JSON.');
        }
      }
    },
    resources: (ctx) => [alarmTarget(ctx, alarmNameParam(ctx.input))],
    handler: async (ctx) => {
      const name = alarmNameParam(ctx.input);
      const state = cloudWatchState(ctx);
      const alarm = state.alarms[name];
      if (!alarm) throw alarmNotFound(name);
      const value = enumValue(ctx.input, 'StateValue', ALARM_STATES) ?? 'OK';
      const where = { accountId: ctx.accountId, region: ctx.region };
      if (value !== alarm.StateValue) {
        const reasonData = ctx.input.str('StateReasonData');
        await changeAlarmState(ctx.runtime, where, state, alarm, {
          value,
          reason: ctx.input.str('StateReason') ?? '',
          ...(reasonData !== undefined ? { reasonData } : {}),
        });
      }
      // The state holds until the next evaluation interval, not the next tick.
      if (alarm.type === 'MetricAlarm') alarm.sandbox.evaluatedAt = ctx.clock.now().toISOString();
      else holdComposite(alarm, state.alarms, where);
      await evaluateComposites(ctx.runtime, where, state);
      return undefined;
    },
  },
};
