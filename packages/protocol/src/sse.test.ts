import { describe, expect, it } from 'vitest';
import { formatSseMessage, SseParser } from './sse.js';

describe('SSE framing', () => {
  it('parses what formatSseMessage writes, across chunk boundaries, keeping the last id', () => {
    const text =
      ': keep-alive\n\n' +
      formatSseMessage({ event: 'log', id: 7, data: '{"text":"a"}' }) +
      formatSseMessage({ event: 'end', data: '{"status":"succeeded"}' });
    const parser = new SseParser();
    const messages = [...text].flatMap((ch) => parser.push(ch));
    expect(messages).toEqual([
      { event: 'log', id: '7', data: '{"text":"a"}' },
      // No id of its own: the last one carries over, as EventSource does.
      { event: 'end', id: '7', data: '{"status":"succeeded"}' },
    ]);
    expect(parser.lastEventId).toBe('7');
  });

  it('joins multi-line data, defaults the event name, accepts CRLF and keeps a partial message', () => {
    const parser = new SseParser();
    expect(parser.push('data: one\r\ndata: two\r\n\r\ndata: par')).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
    expect(parser.push('tial\n\n')).toEqual([{ event: 'message', data: 'partial' }]);
    expect(parser.lastEventId).toBeUndefined();
  });

  it('a block without data is no message', () => {
    expect(new SseParser().push('event: log\nid: 3\n\n')).toEqual([]);
  });
});
