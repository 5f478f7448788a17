/**
 * Server-sent events as Rampart streams them: the message names, the framing the server writes
 * and a parser clients feed the response body to. `id` is the sequence number to resume after
 * (`Last-Event-ID`).
 */
import { z } from 'zod';
import { deploymentStatusSchema } from './statuses.js';

/** The `event:` names of Rampart's streams. */
export const SSE_EVENTS = {
  /** An engine event (data: `EngineEventInfo`), on the events streams. */
  engineEvent: 'engine-event',
  /** A step log line (data: `LogLineInfo`), on the logs stream. */
  log: 'log',
  /** The logs stream is complete: the deployment finished and every line was sent (data: `StreamEnd`). */
  end: 'end',
} as const;

/** The data of an `end` message. */
export const streamEndSchema = z.object({ status: deploymentStatusSchema });
export type StreamEnd = z.infer<typeof streamEndSchema>;

/** The media type that asks a streaming route for a stream instead of a JSON page. */
export const SSE_MEDIA_TYPE = 'text/event-stream';

/** One message of a stream. */
export interface SseMessage {
  /** @default 'message' */
  event: string;
  /** The last `id:` seen, carried over as the spec says. */
  id?: string;
  data: string;
}

/** The text of one message; `data` must not hold a line break (JSON.stringify never does). */
export function formatSseMessage(message: {
  event: string;
  id?: string | number;
  data: string;
}): string {
  const id = message.id === undefined ? '' : `id: ${message.id}\n`;
  return `event: ${message.event}\n${id}data: ${message.data}\n\n`;
}

/**
 * Splits a stream's text into messages. Feed it chunks as they arrive; it keeps a partial
 * message until its blank line comes. Comments (`: keep-alive`) and `retry:` are dropped.
 */
export class SseParser {
  private buffer = '';
  private lastId: string | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = /\r\n\r\n|\n\n|\r\r/.exec(this.buffer);
      if (end === null) break;
      const block = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      const message = this.parseBlock(block);
      if (message !== undefined) messages.push(message);
    }
    return messages;
  }

  /** The id of the last message: send it as `Last-Event-ID` to resume. */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  private parseBlock(block: string): SseMessage | undefined {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    }
    if (data.length === 0) return undefined;
    return {
      event,
      ...(this.lastId === undefined ? {} : { id: this.lastId }),
      data: data.join('\n'),
    };
  }
}
