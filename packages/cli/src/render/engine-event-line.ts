/** One engine event (the audit trail) as one line, for following a deployment or a pipeline. */
import type { EngineEventInfo } from '@rampart/protocol';
import { clockTime } from './time-text.js';

/** `10:00:03Z  #3 prod/Approve  operation.approved  by token:alice: metrics look good`. */
export function renderEventLine(event: EngineEventInfo): string {
  const where = [
    event.revision === undefined ? '' : `#${event.revision}`,
    event.stage === undefined
      ? ''
      : event.step === undefined
        ? event.stage
        : `${event.stage}/${event.step}`,
  ]
    .filter((w) => w !== '')
    .join(' ');
  const who =
    event.actor === 'system' && event.reason === undefined
      ? ''
      : `  by ${event.actor}${event.reason === undefined ? '' : `: ${event.reason}`}`;
  return `${clockTime(event.at)}  ${where === '' ? event.pipeline : where}  ${event.type}${who}\n`;
}
