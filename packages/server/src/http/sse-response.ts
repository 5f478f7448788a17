/**
 * A server-sent event stream read from the store: what was stored after the client's position,
 * then whatever is stored next (the change feed says when to look), with keep-alive comments.
 * Reading every message from the store means a reconnect with `Last-Event-ID` misses nothing.
 */
import { formatSseMessage } from '@rampart/protocol';
import type { ChangeFeed } from '../runtime/change-feed.js';

/** What a stream sends. */
export interface SseSource<T> {
  /** The sequence number to start after. */
  after: number;
  /** Up to `limit` items after `after`, oldest first. */
  read(after: number, limit: number): Promise<T[]>;
  seqOf(item: T): number;
  /** The `event:` name of the items. */
  event: string;
  feed: ChangeFeed;
  /**
   * Asked each time the stream has caught up: a message returned is sent last and ends the
   * stream (`end` of a finished deployment's logs). @default the stream never ends by itself
   */
  finalMessage?: () => Promise<{ event: string; data: string } | undefined>;
}

const PAGE = 500;
const encoder = new TextEncoder();

/** The `Last-Event-ID` header as a sequence number, when it is one. */
export function lastEventId(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d{1,15}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/** A streaming response; it ends when any of `signals` aborts or the client goes away. */
export function sseResponse<T>(
  source: SseSource<T>,
  signals: readonly AbortSignal[],
  keepAliveMs: number,
): Response {
  const stop = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) stop.abort();
    else signal.addEventListener('abort', () => stop.abort(), { once: true });
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string): void => controller.enqueue(encoder.encode(text));
      const run = async (): Promise<void> => {
        let after = source.after;
        send('retry: 2000\n\n');
        while (!stop.signal.aborted) {
          const version = source.feed.version;
          const items = await source.read(after, PAGE);
          for (const item of items) {
            after = source.seqOf(item);
            send(formatSseMessage({ event: source.event, id: after, data: JSON.stringify(item) }));
          }
          if (items.length === PAGE) continue;
          const last = await source.finalMessage?.();
          if (last !== undefined) {
            // Lines stored while the end was being decided are sent before it.
            const rest = await source.read(after, PAGE);
            if (rest.length > 0) continue;
            send(formatSseMessage({ event: last.event, id: after, data: last.data }));
            break;
          }
          const woke = await source.feed.wait(version, stop.signal, keepAliveMs);
          if (woke === 'timeout') send(': keep-alive\n\n');
        }
      };
      run()
        .catch(() => undefined)
        .finally(() => {
          try {
            controller.close();
          } catch {
            // The client went away first: the stream is already closed.
          }
        });
    },
    cancel() {
      stop.abort();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    },
  });
}
