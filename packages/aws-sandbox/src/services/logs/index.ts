// Amazon CloudWatch Logs (JSON 1.1): log groups, streams, PutLogEvents, GetLogEvents,
// FilterLogEvents. Other services write logs through `appendLogEvents`.
import type { ServiceDefinition } from '../../framework/service.js';
import { filterLogEvents } from './filter-log-events.js';
import { getLogEvents } from './get-log-events.js';
import { groupActions } from './group-actions.js';
import { LOGS_SERVICE } from './logs-state.js';
import { logsProtocol } from './logs-protocol.js';
import { putLogEvents } from './put-log-events.js';
import { streamActions } from './stream-actions.js';

/** CloudWatch Logs. */
export const logsService: ServiceDefinition = {
  name: LOGS_SERVICE,
  protocol: logsProtocol,
  actions: {
    ...groupActions,
    ...streamActions,
    PutLogEvents: putLogEvents,
    GetLogEvents: getLogEvents,
    FilterLogEvents: filterLogEvents,
  },
};
