// Amazon EventBridge (JSON 1.1): rules with event patterns on the default bus, targets, PutEvents,
// connections and API destinations. Internal events (`runtime.publishEvent`, e.g. CloudWatch
// alarm state changes) and PutEvents entries are matched against rules and delivered by HTTP to
// API destinations, with retries on the sandbox clock.
import type { ServiceDefinition } from '../../framework/service.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import { apiDestinationActions } from './api-destination-actions.js';
import { connectionActions } from './connection-actions.js';
import { envelopeOf } from './event-envelope.js';
import { routeEvent, runDueDeliveries } from './event-router.js';
import { EVENTS_SERVICE } from './events-state.js';
import { putEvents } from './put-events.js';
import { ruleActions } from './rule-actions.js';
import { targetActions } from './target-actions.js';

/** EventBridge. */
export const eventsService: ServiceDefinition = {
  name: EVENTS_SERVICE,
  protocol: jsonProtocol({ targetPrefix: 'AWSEvents' }),
  actions: {
    ...ruleActions,
    ...targetActions,
    PutEvents: putEvents,
    ...connectionActions,
    ...apiDestinationActions,
  },
  hooks: {
    onEvent: (ctx, event) => routeEvent(ctx.runtime, envelopeOf(event)),
    onTick: (ctx) => runDueDeliveries(ctx.runtime),
  },
};
