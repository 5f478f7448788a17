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
  return `${clockTime(event.at)}  ${where === '' ? event.pipeline : where}  ${event.type}${artifactNote(event)}${who}\n`;
}

/** `  Api` for artifact events, with the reuse note (`: reused build of revision 2 …`). */
function artifactNote(event: EngineEventInfo): string {
  const data = event.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return '';
  const artifact = data['artifact'];
  if (typeof artifact !== 'string') return '';
  const message = data['message'];
  return `  ${artifact}${typeof message === 'string' ? `: ${message}` : ''}`;
}
