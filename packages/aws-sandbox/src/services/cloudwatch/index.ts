// Amazon CloudWatch (metrics and alarms): JSON 1.0 with query-compatible errors, and the query
// protocol; alarms evaluate on the sandbox clock at every tick.
import type { ServiceDefinition } from '../../framework/service.js';
import { evaluateAllAlarms } from './alarm-evaluator.js';
import { alarmReadActions } from './alarm-read-actions.js';
import { alarmStateActions } from './alarm-state-actions.js';
import { alarmWriteActions } from './alarm-write-actions.js';
import { cloudWatchProtocol } from './cloudwatch-protocol.js';
import { SERVICE } from './cloudwatch-state.js';
import { metricDataActions } from './metric-data-actions.js';
import { tagActions } from './tag-actions.js';

/** CloudWatch: signing name `monitoring`, IAM prefix `cloudwatch`. */
export const cloudWatchService: ServiceDefinition = {
  name: SERVICE,
  iamPrefix: 'cloudwatch',
  protocol: cloudWatchProtocol,
  actions: {
    ...alarmWriteActions,
    ...alarmReadActions,
    ...alarmStateActions,
    ...metricDataActions,
    ...tagActions,
  },
  hooks: { onTick: evaluateAllAlarms },
};
