export { describeAlarmStates, type AlarmState, type AlarmStateValue } from './alarm-states.js';
export { AlarmEventError, parseAlarmStateChange, type PushedAlarmState } from './alarm-event.js';
